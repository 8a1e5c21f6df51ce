#!/usr/bin/env bash
# The send-path bake-off in one command: builds what it needs, installs wrk, nginx and openssl when
# they are missing (Debian/Ubuntu, apt-get), makes a private CA and shadow certificates (fresh each
# time, under target/, never committed), then measures, for trafficmirror's send path, Jetty 12's
# HttpClient, Apache HttpClient 5 async, OkHttp 5 and the JDK's HttpClient, the primary's CPU per
# copy and the throughput it keeps, at 100 % and 10 % of requests copied, over plain HTTP and TLS,
# against nginx. All on 127.0.0.1.
#
#   mirror-benchmarks/run-bakeoff.sh                                   # 10 s per run after a 15 s warm-up, 1 round
#   DURATION=10s WARMUP=15s ROUNDS=3 mirror-benchmarks/run-bakeoff.sh  # 3 interleaved rounds, medians shown
#   mirror-benchmarks/run-bakeoff.sh --only jetty,okhttp               # further options: see Bakeoff
#
# Results: printed, and written to mirror-benchmarks/target/bakeoff/results.md (logs beside it).
set -euo pipefail
cd "$(dirname "$0")/.."

source mirror-benchmarks/prepare.sh

tls=mirror-benchmarks/target/bakeoff/tls
mirror-benchmarks/make-certs.sh "$tls"

exec java -cp "$classpath" dev.trafficmirror.bench.bakeoff.Bakeoff \
  --duration "${DURATION:-10s}" --warmup "${WARMUP:-15s}" --rounds "${ROUNDS:-1}" --nginx "$nginx_bin" \
  --tls "$tls" "$@"
