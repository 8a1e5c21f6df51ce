#!/usr/bin/env bash
# The JMH micro benchmarks, each against its baseline measured in the same run, then a table of
# ratios (docs/jmh.md). About 4 minutes with the defaults.
#
#   mirror-benchmarks/run-jmh.sh                          # everything
#   mirror-benchmarks/run-jmh.sh MirrorFilterBenchmark    # benchmarks matching a regexp
#   JMH_OPTS="-f 1 -wi 2 -i 3" mirror-benchmarks/run-jmh.sh
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -q -pl mirror-benchmarks -am package -DskipTests

jar=mirror-benchmarks/target/benchmarks.jar
result=mirror-benchmarks/target/jmh-result.csv
# shellcheck disable=SC2086  # JMH_OPTS is a list of options
java -jar "$jar" ${JMH_OPTS:--f 2 -wi 3 -w 1s -i 4 -r 1s} -prof gc -rf csv -rff "$result" \
  "${@:-dev\.trafficmirror\.(bench\.jmh|servlet)\.}"
echo
java -cp "$jar" dev.trafficmirror.bench.jmh.RatioTable "$result"
