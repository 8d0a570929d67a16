#!/usr/bin/env bash
# Change delivery latency: p50/p99/max from a registration (HTTP POST) to its event on the event
# bus and on an SSE stream, against the 201 round trip of the same registrations (the baseline).
# Settings: COUNT registrations (2000), RATE per second (200), PERSISTENT (false; true: every
# registration is also journalled to disk).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-2000}; RATE=${RATE:-200}; PERSISTENT=${PERSISTENT:-false}
mvn -q -B -ntp package test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
GATEWAY_LOG_LEVEL=WARN java -Dpersistent="$PERSISTENT" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  com.wz.gateway.bench.FeedLatencyBenchmark "$COUNT" "$RATE"
