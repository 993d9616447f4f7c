#!/usr/bin/env bash
# ./build.sh edge: the edge on http://localhost:8080 in front of the Web and Api of a running `./build.sh run`, whose
# DevHost writes their addresses to .data/devhost/origins.env. Settings of edge.sh (EDGE_*) pass through.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
origins=$root/.data/devhost/origins.env
for _ in $(seq 1 120); do
  [ -f "$origins" ] && break
  [ "${waited:-}" ] || echo "edge: waiting for ./build.sh run to write $origins ..."
  waited=1
  sleep 1
done
[ -f "$origins" ] || { echo "edge: $origins not found: start ./build.sh run first" >&2; exit 1; }
# shellcheck source=/dev/null
. "$origins"
export EDGE_WEB=${EDGE_WEB:-$WONINGPAS_WEB}
export EDGE_API=${EDGE_API:-$WONINGPAS_API}
export EDGE_LISTEN=${EDGE_LISTEN:-127.0.0.1:8080}
exec "$root/deploy/edge/edge.sh" run
