#!/usr/bin/env bash
# Read-path benchmark: requests per second of GET /api/v1/registry/services/{s}/instances on the
# gateway, against a bare Vert.x handler that returns the same bytes (the baseline), measured
# alternately in the same run with wrk on loopback. Prints each round and the ratio of medians.
#
# Needs wrk (Debian package "wrk"). Settings: ROUNDS (3), DURATION (10s), CONNECTIONS (64),
# INSTANCES (registered instances, 20), QUERY ("" or e.g. "healthy=true").
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10s}; CONNECTIONS=${CONNECTIONS:-64}
INSTANCES=${INSTANCES:-20}; QUERY=${QUERY:-}

mvn -q -B -ntp package test-compile -DskipTests
work=$(mktemp -d)
gw_port=$((20000 + RANDOM % 10000)); bare_port=$((gw_port + 1))
cleanup() { kill "${gw_pid:-}" "${bare_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

GATEWAY_HTTP_HOST=127.0.0.1 GATEWAY_HTTP_PORT=$gw_port GATEWAY_DATA_DIR="$work/data" GATEWAY_LOG_LEVEL=WARN \
  java -jar target/registry-gateway.jar >"$work/gateway.log" 2>&1 & gw_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$gw_port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done

path="/api/v1/registry/services/bench.read-path/instances"
for i in $(seq 1 "$INSTANCES"); do
  curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d "{\"ip\":\"10.9.$((i / 250)).$((i % 250))\",\"port\":8080,\"ephemeral\":false,\"metadata\":{\"version\":\"1.4.2\",\"env\":\"prod\",\"region\":\"cn-east\",\"owner\":\"team-bench\"}}" \
    "http://127.0.0.1:$gw_port$path"
done
url="$path${QUERY:+?$QUERY}"
curl -fs "http://127.0.0.1:$gw_port$url" >"$work/body.json"

java -cp "target/test-classes:target/registry-gateway.jar" com.wz.gateway.bench.BareServer \
  "$bare_port" "$work/body.json" "$(nproc)" >"$work/bare.log" 2>&1 & bare_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$bare_port/" >/dev/null 2>&1 && break; sleep 0.2; done
cmp -s "$work/body.json" <(curl -fs "http://127.0.0.1:$bare_port$url") || { echo "baseline body differs" >&2; exit 1; }

rps() { wrk -t1 -c"$CONNECTIONS" -d"$1" "$2" | awk '/Requests\/sec/ {print $2}'; }
echo "body: $(wc -c <"$work/body.json") bytes, $INSTANCES instances; wrk -t1 -c$CONNECTIONS -d$DURATION; $(nproc) cores"
rps 3s "http://127.0.0.1:$bare_port$url" >/dev/null; rps 3s "http://127.0.0.1:$gw_port$url" >/dev/null
bare=(); gw=()
for r in $(seq 1 "$ROUNDS"); do
  b=$(rps "$DURATION" "http://127.0.0.1:$bare_port$url"); g=$(rps "$DURATION" "http://127.0.0.1:$gw_port$url")
  bare+=("$b"); gw+=("$g")
  printf 'round %d: baseline %10.0f req/s   gateway %10.0f req/s   ratio %.2f\n' "$r" "$b" "$g" "$(awk -v a="$g" -v b="$b" 'BEGIN {print a / b}')"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mb=$(median "${bare[@]}"); mg=$(median "${gw[@]}")
printf 'median:  baseline %10.0f req/s   gateway %10.0f req/s   ratio %.2f\n' "$mb" "$mg" "$(awk -v a="$mg" -v b="$mb" 'BEGIN {print a / b}')"
