#!/usr/bin/env bash
# Replay throughput against its ceiling: the replay tool sends a large recording as fast as the
# shadow answers (--max, 16 copies in flight), and wrk (-t2 -c16) loads the same nginx for the same
# time, in interleaved rounds, all on 127.0.0.1. nginx answers every request at once, so both
# measure the sender: the replay tool's reading, decoding and sending against wrk's.
#
#   mirror-benchmarks/run-replay-bench.sh FILE.jsonl      # a recording (one HAR entry per line)
#   mirror-benchmarks/run-replay-bench.sh                 # the end-to-end benchmark's own recording:
#                                                         # run run-e2e.sh --only send-path first
#   ROUNDS=3 DURATION=10s mirror-benchmarks/run-replay-bench.sh
#   BASELINE_JAR=/tmp/mirror-replay-before.jar mirror-benchmarks/run-replay-bench.sh FILE.jsonl
#                                                         # and another build of the tool, in the same rounds
#
# Results: printed, and written to mirror-benchmarks/target/replay-bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

source mirror-benchmarks/prepare.sh
./mvnw -q -B -pl mirror-replay -am package -DskipTests
jar=$(ls mirror-replay/target/mirror-replay-*.jar | grep -v -- '-classes\|-sources\|-javadoc' | head -1)

recording=${1:-$(ls -S mirror-benchmarks/target/e2e/round-*/trafficmirror-healthy-recorded/records.jsonl 2>/dev/null | head -1 || true)}
if [ -z "$recording" ] || [ ! -f "$recording" ]; then
  echo "no recording: pass one, or run mirror-benchmarks/run-e2e.sh --only send-path first" >&2
  exit 2
fi
rounds=${ROUNDS:-3}
duration=${DURATION:-10s}
port=18390
work=mirror-benchmarks/target/replay-bench
mkdir -p "$work/temp"
work=$(cd "$work" && pwd)
cat > "$work/nginx.conf" <<EOF
daemon off;
worker_processes 1;
error_log $work/nginx-error.log warn;
pid $work/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/temp;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  default_type application/json;
  server {
    listen 127.0.0.1:$port;
    location / { return 200 '{"ok":true}'; }
  }
}
EOF
"$nginx_bin" -c "$work/nginx.conf" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done

records=$(wc -l < "$recording")
path=$(head -1 "$recording" | grep -o '"url":"[^"]*"' | head -1 | sed 's/"url":"//; s/"$//; s|^[a-z]*://[^/]*||')
echo "recording $recording: $records lines; wrk loads http://127.0.0.1:$port${path:-/}"
{
  echo "# Replay throughput against wrk, $(date -u +%F)"
  echo
  echo "- $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); $("$nginx_bin" -v 2>&1)"
  echo "- recording: $records lines ($(du -h "$recording" | cut -f1)); replay: \`java -jar $(basename "$jar") --from FILE --to http://127.0.0.1:$port --max --no-progress\` (16 in flight)"
  echo "- ceiling: \`wrk -t2 -c16 -d$duration\` on the same nginx (one worker, answers at once)"
  echo
  if [ -n "${BASELINE_JAR:-}" ]; then
    echo "- baseline: \`$BASELINE_JAR\`, replayed in the same rounds"
    echo
    echo "| round | replay records/s | baseline records/s | wrk requests/s | replay / wrk | baseline / wrk | replay / baseline |"
    echo "|---:|---:|---:|---:|---:|---:|---:|"
  else
    echo "| round | replay records/s | wrk requests/s | replay / wrk |"
    echo "|---:|---:|---:|---:|"
  fi
} > "$work/results.md"

# Records per second of one replay with jar $1, its output kept in $2.
replay_rate() {
  java -jar "$1" --from "$recording" --to "http://127.0.0.1:$port" --max --no-progress > "$2" 2>&1 || true
  grep -m1 '^replayed' "$2" | sed -E 's/.*\(([0-9.]+)\/s\).*/\1/'
}
median() {
  printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
ratios=()
speedups=()
for round in $(seq "$rounds"); do
  replay=$(replay_rate "$jar" "$work/replay-$round.txt")
  wrk_rate=$(wrk -t2 -c16 -d"$duration" "http://127.0.0.1:$port${path:-/}" | tee "$work/wrk-$round.txt" | awk '/Requests\/sec/ {print $2}')
  ratio=$(awk -v a="$replay" -v b="$wrk_rate" 'BEGIN { printf "%.2f", a / b }')
  ratios+=("$ratio")
  if [ -n "${BASELINE_JAR:-}" ]; then
    baseline=$(replay_rate "$BASELINE_JAR" "$work/baseline-$round.txt")
    baseline_ratio=$(awk -v a="$baseline" -v b="$wrk_rate" 'BEGIN { printf "%.2f", a / b }')
    speedup=$(awk -v a="$replay" -v b="$baseline" 'BEGIN { printf "%.2f", a / b }')
    speedups+=("$speedup")
    echo "round $round: replay $replay records/s, baseline $baseline, wrk $wrk_rate requests/s, replay/wrk $ratio, replay/baseline $speedup"
    echo "| $round | $replay | $baseline | $wrk_rate | $ratio | $baseline_ratio | $speedup |" >> "$work/results.md"
  else
    echo "round $round: replay $replay records/s, wrk $wrk_rate requests/s, replay/wrk $ratio"
    echo "| $round | $replay | $wrk_rate | $ratio |" >> "$work/results.md"
  fi
done
echo "median replay/wrk: $(median "${ratios[@]}")"
{ echo; echo "Median replay / wrk: **$(median "${ratios[@]}")**."; } >> "$work/results.md"
if [ -n "${BASELINE_JAR:-}" ]; then
  echo "median replay/baseline: $(median "${speedups[@]}")"
  echo "Median replay / baseline: **$(median "${speedups[@]}")**." >> "$work/results.md"
fi
echo "written to $work/results.md"
