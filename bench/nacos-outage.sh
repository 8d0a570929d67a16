#!/usr/bin/env bash
# Nacos outage drill: the gateway (Nacos backend, default settings) holds 3 ephemeral instances and 1
# persistent one; Nacos is stopped for OUTAGE seconds (5) and started again. Prints what clients got
# during the outage (readiness, stale reads, 503 writes and how fast) and, counted from the moment Nacos
# answers again, when the gateway was ready, read fresh, had its registrations back in Nacos (seen by a
# plain nacos-client) and took writes.
#
# Needs a Nacos 2.x/3.x server that you run, and the commands that stop and start it, e.g.
#   NACOS_SERVER_ADDR=127.0.0.1:8848 NACOS_STOP='kill -9 $(pgrep -f nacos-server)' \
#   NACOS_START='/opt/nacos/bin/startup.sh -m standalone' bench/nacos-outage.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${NACOS_SERVER_ADDR:?set NACOS_SERVER_ADDR (host:port)}" "${NACOS_STOP:?set NACOS_STOP}" "${NACOS_START:?set NACOS_START}"
OUTAGE=${OUTAGE:-5}
mvn -q -B -ntp test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
GATEWAY_LOG_LEVEL=WARN java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  com.wz.gateway.bench.NacosOutageDrill "$OUTAGE"
