#!/usr/bin/env bash
# WoningPas: one entry point for building, running and testing on a Debian machine that has the .NET SDK.
#   ./build.sh run [--urls URL] [--replicas N]   local run: private PostgreSQL, registry simulators, clamd, Api (N
#                                 replicas sharing a local Redis) + Web behind the edge (default http://localhost:5080)
#   ./build.sh test               installs what the tests need, builds, runs every test project, prints one summary line
#   ./build.sh cli COMMAND ...    the operator's CLI (migrate, seed, import, verify-audit, rotate-keys, backup, restore, export ...) against the local run's database
#   ./build.sh edge               the nginx edge (cache, WAF, country filter) on http://localhost:8080 in front of a running ./build.sh run
#   ./build.sh bench data|cache|edge|ops|encryption   benchmarks; results as JSON under bench/results/
#   ./build.sh build              build only
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "build.sh: root is needed to install system packages ($*)" >&2; exit 1
  fi
}

apt_updated=""
# Installs the Debian packages that are not installed yet; apt-get update runs once, only when something is missing.
apt_install() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "build.sh: installing ${missing[*]}"
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_postgres() {
  if ! command -v initdb >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    apt_install postgresql
  fi
}

# The Api replicas' shared cache, and the tests that prove it (WoningPas.Integrations.Tests).
ensure_redis() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
}

ensure_chromium() {
  command -v chromium >/dev/null 2>&1 || apt_install chromium
  # Without a font the browser renders boxes, and axe-core cannot judge contrast.
  apt_install fonts-dejavu-core
}

# The edge: nginx with ModSecurity + OWASP CRS and the GeoIP country module (deploy/edge), and wrk for its benchmark.
ensure_edge() {
  apt_install nginx libnginx-mod-http-modsecurity modsecurity-crs libnginx-mod-http-geoip geoip-database geoip-bin
}

# The local run and the upload tests start their own clamd with a test-only signature (EICAR); the official databases
# are never downloaded, and the package's own clamd service is not used.
ensure_clamav() {
  apt_install clamav-daemon clamav
}

# The PDF inspection of uploads runs qpdf under prlimit (util-linux); the Api refuses to start without them.
ensure_qpdf() {
  apt_install qpdf util-linux
}

# The PKCS#11 module that holds the key-encryption key in development and CI: SoftHSM2.
ensure_softhsm() {
  apt_install softhsm2
}

# The local run's token under .data/softhsm (its own SOFTHSM2_CONF, a random PIN kept next to it, mode 700), and
# the Encryption__… settings that point the Api, DevHost and CLI at it; the KEK is generated inside the token on first
# use (Development only). Settings already in the environment win.
use_dev_token() {
  ensure_softhsm
  local dir=$PWD/.data/softhsm module
  mkdir -p "$dir/tokens"
  chmod 700 "$dir"
  [ -f "$dir/softhsm2.conf" ] ||
    printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$dir/tokens" >"$dir/softhsm2.conf"
  export SOFTHSM2_CONF=$dir/softhsm2.conf
  if ! softhsm2-util --show-slots 2>/dev/null | grep -q 'Label: *woningpas-dev *$'; then
    (umask 077 && od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$dir/pin")
    softhsm2-util --init-token --free --label woningpas-dev --pin "$(cat "$dir/pin")" \
      --so-pin "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" >/dev/null
  fi
  module=$(ls /usr/lib/softhsm/libsofthsm2.so /usr/lib/*/softhsm/libsofthsm2.so 2>/dev/null | head -1)
  export Encryption__Provider=${Encryption__Provider:-Pkcs11}
  export Encryption__Pkcs11__LibraryPath=${Encryption__Pkcs11__LibraryPath:-$module}
  export Encryption__Pkcs11__TokenLabel=${Encryption__Pkcs11__TokenLabel:-woningpas-dev}
  export Encryption__Pkcs11__Pin=${Encryption__Pkcs11__Pin:-$(cat "$dir/pin")}
  export Encryption__Pkcs11__CreateKeyIfMissing=${Encryption__Pkcs11__CreateKeyIfMissing:-true}
}

build() {
  dotnet build WoningPas.sln -c Release -nologo -clp:ErrorsOnly "$@"
}

# One counter of a TRX file's <Counters .../> element.
trx_counter() {
  grep -o '<Counters [^>]*>' "$1" | head -1 | sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p"
}

# Sums the TRX files of one run into the line CI reads: "N passed, N failed, N skipped".
summarise() {
  local results=$1 passed=0 failed=0 skipped=0 file
  for file in "$results"/*.trx; do
    [ -e "$file" ] || continue
    passed=$((passed + $(trx_counter "$file" passed)))
    failed=$((failed + $(trx_counter "$file" failed) + $(trx_counter "$file" error) + $(trx_counter "$file" timeout) + $(trx_counter "$file" aborted)))
    skipped=$((skipped + $(trx_counter "$file" notExecuted)))
  done
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
}

run_tests() {
  ensure_postgres
  ensure_chromium
  ensure_redis
  ensure_edge
  ensure_clamav
  ensure_qpdf
  ensure_softhsm
  build
  local results=.data/test-results status=0
  rm -rf "$results"
  mkdir -p "$results"
  dotnet test --solution WoningPas.sln -c Release --no-build --results-directory "$results" \
    "$@" || status=$?
  local projects expected
  projects=$(find tests -name '*.Tests.csproj' | wc -l)
  expected=$(find "$results" -name '*.trx' | wc -l)
  if [ "$expected" -lt "$projects" ]; then
    echo "build.sh: only $expected of $projects test projects wrote results" >&2
    status=1
  fi
  summarise "$results" || status=1
  return "$status"
}

command=${1:-help}
shift || true
case "$command" in
  run)
    ensure_postgres
    ensure_qpdf
    ensure_clamav
    use_dev_token
    case " $* " in *" --replicas "*) ensure_redis ;; esac
    exec dotnet run --project src/WoningPas.DevHost -c Release -- "$@"
    ;;
  test)
    run_tests "$@"
    ;;
  cli)
    ensure_postgres
    # An operator's database (ConnectionStrings__WoningPas) brings its own Encryption__… settings.
    [ -n "${ConnectionStrings__WoningPas:-}" ] || use_dev_token
    dotnet build src/WoningPas.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
    exec dotnet run --project src/WoningPas.Cli -c Release --no-build -- "$@"
    ;;
  edge)
    ensure_edge
    exec ./deploy/edge/edge-devhost.sh "$@"
    ;;
  bench)
    ensure_postgres
    ensure_redis
    if [ "${1:-}" = edge ]; then ensure_edge; apt_install wrk; fi
    use_dev_token
    dotnet build bench/WoningPas.Bench -c Release -nologo -clp:ErrorsOnly >/dev/null
    exec dotnet run --project bench/WoningPas.Bench -c Release --no-build -- "$@"
    ;;
  build)
    build "$@"
    ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    [ "$command" = help ] || exit 2
    ;;
esac
