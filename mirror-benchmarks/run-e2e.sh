#!/usr/bin/env bash
# The end-to-end load benchmark in one command: builds what it needs, installs wrk, nginx and
# openssl when they are missing (Debian/Ubuntu, apt-get), then measures a Jetty primary with no
# filter and with MirrorFilter mirroring 100% to a shadow that is healthy, slow (1 s), a black hole,
# or refusing; 10% to a healthy one; 100% with answers compared; 100% over TLS (a private CA made
# by make-certs.sh); 100% recorded, with no shadow, to a file or to Kafka (Kafka's own broker,
# KRaft, one node, started fresh for each measurement in a JVM of its own); and the same shadows
# with nginx's mirror module in front of the same primary. All on 127.0.0.1.
#
#   mirror-benchmarks/run-e2e.sh                       # 10 s per run after a 20 s warm-up
#   DURATION=10s ROUNDS=3 mirror-benchmarks/run-e2e.sh  # 3 interleaved rounds, median shown
#   mirror-benchmarks/run-e2e.sh --only trafficmirror  # further options: see LoadBenchmark
#   mirror-benchmarks/run-e2e.sh --only send-path      # no filter, healthy 100 % and 10 %, compared, TLS,
#                                                      # recorded to a file and to Kafka
#
# Results: printed, and written to mirror-benchmarks/target/e2e/results.md (logs beside it).
set -euo pipefail
cd "$(dirname "$0")/.."

source mirror-benchmarks/prepare.sh

tls=mirror-benchmarks/target/e2e/tls
mirror-benchmarks/make-certs.sh "$tls"

exec java -cp "$classpath" dev.trafficmirror.bench.e2e.LoadBenchmark \
  --duration "${DURATION:-10s}" --warmup "${WARMUP:-20s}" --rounds "${ROUNDS:-1}" --nginx "$nginx_bin" \
  --tls "$tls" "$@"
