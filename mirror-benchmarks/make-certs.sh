#!/usr/bin/env bash
# Makes a private CA and shadow certificates in DIR, fresh each time (under target/, never
# committed), for the benchmarks' TLS runs: ca.pem; shadow.pem/.key for 127.0.0.1 and localhost
# (also as shadow.p12, password "bench", for a Java shadow); wrong.pem/.key, same CA, for another
# name only.
#
#   mirror-benchmarks/make-certs.sh DIR
set -euo pipefail
dir=${1:?usage: make-certs.sh DIR}
rm -rf "$dir" && mkdir -p "$dir"
cd "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/CN=trafficmirror benchmark CA" -keyout ca.key -out ca.pem \
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
openssl pkcs12 -export -in shadow.pem -inkey shadow.key -name shadow -out shadow.p12 -passout pass:bench
