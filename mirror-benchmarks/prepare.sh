# Sourced by the run-*.sh benchmark scripts, from the project's root: installs wrk, nginx and openssl
# when they are missing (Debian/Ubuntu, apt-get), builds the benchmarks, and sets nginx_bin and
# classpath for the script's java command.
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
