#!/usr/bin/env bash
# Lease capacity on one core: how many ephemeral instances the gateway holds at 5 s heartbeats,
# with the event-loop lag each size causes (p50/p99/max, and p99 against the no-instance baseline
# of the same run). Settings: DURATION seconds per size (20), SIZES ("0 10000 25000 50000 100000"), CPU (0).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20}; SIZES=${SIZES:-"0 10000 25000 50000 100000"}; CPU=${CPU:-0}
mvn -q -B -ntp package test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
GATEWAY_LOG_LEVEL=WARN taskset -c "$CPU" java -XX:ActiveProcessorCount=1 -Xmx2g \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  com.wz.gateway.bench.LeaseBenchmark "$DURATION" $SIZES
