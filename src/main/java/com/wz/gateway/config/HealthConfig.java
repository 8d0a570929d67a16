package com.wz.gateway.config;

import io.vertx.core.json.JsonObject;

/** How often health checks run, how long one may take, how much event-loop lag is still alive, and instance probes. */
public record HealthConfig(long intervalMillis, long checkTimeoutMillis, long maxEventLoopLagMillis, ProbeConfig probe) {

  public HealthConfig {
    if (intervalMillis < 1 || checkTimeoutMillis < 1 || maxEventLoopLagMillis < 1) {
      throw new IllegalArgumentException("health.intervalMillis, checkTimeoutMillis and maxEventLoopLagMillis must be positive");
    }
  }

  static HealthConfig from(JsonObject json) {
    return new HealthConfig(json.getLong("intervalMillis", 5000L), json.getLong("checkTimeoutMillis", 2000L),
        json.getLong("maxEventLoopLagMillis", 2000L), ProbeConfig.from(json.getJsonObject("probe", new JsonObject())));
  }
}
