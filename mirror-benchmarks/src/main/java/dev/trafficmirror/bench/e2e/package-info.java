/**
 * The end-to-end load benchmark ({@code mirror-benchmarks/run-e2e.sh}): a primary with and without
 * the mirror (also comparing answers, over TLS, and recording to a file or to a Kafka broker), and
 * nginx's mirror module, against healthy, slow, black-hole and refusing shadows, each in a process
 * of its own, loaded by {@code wrk}.
 * Results in docs/benchmarks.md.
 */
package dev.trafficmirror.bench.e2e;
