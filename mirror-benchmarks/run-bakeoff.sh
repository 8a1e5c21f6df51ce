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

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} with apt-get"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y "${missing[@]}"
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

./mvnw -q -B -pl mirror-benchmarks -am package -DskipTests
classpath="mirror-benchmarks/target/classes:$(cat mirror-benchmarks/target/e2e-classpath.txt)"

# A private CA, a shadow certificate for 127.0.0.1 and localhost, and one (same CA) for another
# name only; a PKCS12 trust store with just the CA, for trafficmirror (see TrafficmirrorSender).
tls=mirror-benchmarks/target/bakeoff/tls
rm -rf "$tls" && mkdir -p "$tls"
(
  cd "$tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=trafficmirror bake-off CA" -keyout ca.key -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  for cert in shadow:"IP:127.0.0.1,DNS:localhost" wrong:"DNS:wrong.example"; do
    name=${cert%%:*}
    san=${cert#*:}
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$name" \
      -keyout "$name.key" -out "$name.csr" 2>/dev/null
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' \
      "$san" > "$name.ext"
    openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile "$name.ext" \
      -out "$name.pem" 2>/dev/null
  done
)

exec java -cp "$classpath" dev.trafficmirror.bench.bakeoff.Bakeoff \
  --duration "${DURATION:-10s}" --warmup "${WARMUP:-15s}" --rounds "${ROUNDS:-1}" --nginx "$nginx_bin" \
  --tls "$tls" "$@"
