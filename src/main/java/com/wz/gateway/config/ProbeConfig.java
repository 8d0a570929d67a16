package com.wz.gateway.config;

import io.vertx.core.json.JsonObject;

/**
 * Active instance probes: an instance turns unhealthy after {@code failuresToUnhealthy} failed
 * probes in a row and healthy again after {@code successesToHealthy} passing ones, so that a single
 * blip changes nothing. Due probes are looked for every {@code tickMillis}, at most
 * {@code maxConcurrent} at a time.
 */
public record ProbeConfig(int failuresToUnhealthy, int successesToHealthy, long tickMillis, int maxConcurrent) {

  public ProbeConfig {
    if (failuresToUnhealthy < 1 || successesToHealthy < 1 || tickMillis < 1 || maxConcurrent < 1) {
      throw new IllegalArgumentException("health.probe settings must all be positive");
    }
  }

  static ProbeConfig from(JsonObject json) {
    return new ProbeConfig(json.getInteger("failuresToUnhealthy", 3), json.getInteger("successesToHealthy", 2),
        json.getLong("tickMillis", 250L), json.getInteger("maxConcurrent", 256));
  }
}
