/**
 * JMH benchmarks of the work on the request thread ({@code mirror-benchmarks/run-jmh.sh}), each a
 * ratio to a baseline in the same run. Results in docs/jmh.md.
 */
package dev.trafficmirror.bench.jmh;
