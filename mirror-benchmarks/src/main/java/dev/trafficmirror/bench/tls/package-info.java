/** TLS for the benchmarks: trust in their private CA. */
package dev.trafficmirror.bench.tls;
