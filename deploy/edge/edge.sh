#!/usr/bin/env bash
# Renders the WoningPas edge (nginx + ModSecurity/CRS + GeoIP country filter) into a run directory and runs it in the
# foreground as a private instance: no system service, nothing outside the run directory is written.
#   deploy/edge/edge.sh render   write the configuration and check it (nginx -t)
#   deploy/edge/edge.sh run      render, then exec nginx in the foreground (Ctrl-C or SIGTERM stops it)
# Settings (environment):
#   EDGE_WEB, EDGE_API            origins as host:port (required)
#   EDGE_RUN_DIR                  run directory (default .data/edge)
#   EDGE_LISTEN                   listen address (default 127.0.0.1:8080)
#   EDGE_ALLOWED_COUNTRIES        ISO codes (default "BE NL LU FR DE")
#   EDGE_TRUSTED_PROXIES          addresses/CIDRs whose X-Forwarded-For is believed (default "127.0.0.1")
#   EDGE_ALLOW_PRIVATE            1: loopback and private addresses pass the country filter (default 1)
#   EDGE_WORKERS                  worker processes (default auto)
#   EDGE_ACCESS_LOG               0 turns the access log off (benchmarks)
#   EDGE_STATIC_LISTEN, EDGE_STATIC_ROOT   optional second server answering every path with ROOT/page.html, same rules
set -euo pipefail
edge=$(cd "$(dirname "$0")" && pwd)
run=${EDGE_RUN_DIR:-$edge/../../.data/edge}
mkdir -p "$run"
run=$(cd "$run" && pwd)

: "${EDGE_WEB:?EDGE_WEB (host:port of the Web) is required}"
: "${EDGE_API:?EDGE_API (host:port of the Api) is required}"
listen=${EDGE_LISTEN:-127.0.0.1:8080}
countries=${EDGE_ALLOWED_COUNTRIES:-BE NL LU FR DE}
trusted=${EDGE_TRUSTED_PROXIES:-127.0.0.1}
allow_private=${EDGE_ALLOW_PRIVATE:-1}
workers=${EDGE_WORKERS:-auto}

for country in $countries; do
  [[ $country =~ ^[A-Z]{2}$ ]] || { echo "edge.sh: '$country' is not a two-letter country code" >&2; exit 2; }
done
for proxy in $trusted; do
  [[ $proxy =~ ^[0-9a-fA-F:.]+(/[0-9]+)?$ ]] || { echo "edge.sh: '$proxy' is not an address or CIDR" >&2; exit 2; }
done

mkdir -p "$run"/{logs,cache,html,tmp/body,tmp/proxy,tmp/fastcgi,tmp/uwsgi,tmp/scgi,modsec/tmp,modsec/data,modsec/upload}
cp "$edge"/html/* "$run/html/"

country_lines=$(for c in $countries; do printf '        %s 1;\n' "$c"; done)
real_ip_lines=$(for p in $trusted; do printf '    set_real_ip_from %s;\n' "$p"; done)
private_lines=""
if [ "$allow_private" = 1 ]; then
  private_lines=$(printf '        %s 1;\n' 127.0.0.0/8 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 ::1/128 fc00::/7)
fi
access_log="$run/logs/access.log edge"
[ "${EDGE_ACCESS_LOG:-1}" = 0 ] && access_log=off
user_line=""
# A root master hands the work to an unprivileged worker, which must be able to write the cache and temp folders.
if [ "$(id -u)" = 0 ]; then
  user_line="user nobody nogroup;"
  chmod 755 "$run"
  chown -R nobody:nogroup "$run/cache" "$run/tmp" "$run/modsec" "$run/logs"
fi
static_server=""
if [ -n "${EDGE_STATIC_LISTEN:-}" ]; then
  # The benchmark's baseline: one static file (page.html) for every path and query, behind the same WAF and filter.
  static_server="    server {
        listen ${EDGE_STATIC_LISTEN};
        location / {
            root ${EDGE_STATIC_ROOT:?EDGE_STATIC_ROOT is required with EDGE_STATIC_LISTEN};
            try_files /page.html =404;
        }
    }"
fi

render() {
  local template=$1 target=$2
  awk -v run="$run" -v edge="$edge" -v workers="$workers" -v listen="$listen" -v web="$EDGE_WEB" -v api="$EDGE_API" \
      -v user="$user_line" -v countries="$country_lines" -v realip="$real_ip_lines" -v private="$private_lines" \
      -v accesslog="$access_log" -v static="$static_server" '
    {
      gsub(/@RUN@/, run); gsub(/@EDGE@/, edge); gsub(/@WORKERS@/, workers); gsub(/@LISTEN@/, listen)
      gsub(/@WEB@/, web); gsub(/@API@/, api); gsub(/@ACCESS_LOG@/, accesslog)
      if ($0 == "@USER@") { print user; next }
      if ($0 == "@COUNTRIES@") { print countries; next }
      if ($0 == "@REAL_IP_FROM@") { print realip; next }
      if ($0 == "@PRIVATE_RANGES@") { print private; next }
      if ($0 == "@STATIC_SERVER@") { print static; next }
      print
    }' "$template" > "$target"
}
render "$edge/nginx.conf.template" "$run/nginx.conf"
render "$edge/modsecurity.conf.template" "$run/modsecurity.conf"

nginx -q -t -p "$run" -c "$run/nginx.conf" -e "$run/logs/error.log"

case "${1:-run}" in
  render) echo "edge: configuration in $run/nginx.conf" ;;
  run)
    echo "edge: http://$listen -> Web $EDGE_WEB, Api $EDGE_API (countries: $countries)"
    exec nginx -p "$run" -c "$run/nginx.conf" -e "$run/logs/error.log"
    ;;
  *) echo "usage: edge.sh render|run" >&2; exit 2 ;;
esac
