/** What the load benchmarks run on this machine: processes (servers, nginx, wrk) and wrk's output. */
package dev.trafficmirror.bench.local;
