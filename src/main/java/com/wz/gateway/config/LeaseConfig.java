package com.wz.gateway.config;

import com.wz.gateway.registry.ServiceInstance;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * Heartbeat leases of ephemeral instances (the Nacos defaults: beat every 5 s, unhealthy after 15 s,
 * removed after 30 s). An instance that promises its own heartbeat interval gets thresholds scaled
 * by the same factors.
 *
 * @param sweepIntervalMillis how often expired leases are looked for
 * @param pauseThresholdMillis a gap this long between two sweeps means the process was paused (GC,
 *     suspended): every lease is extended by the pause instead of expiring
 */
public record LeaseConfig(int heartbeatIntervalSeconds, int unhealthyAfterSeconds, int removeAfterSeconds,
                          long sweepIntervalMillis, long pauseThresholdMillis) {

  public LeaseConfig {
    if (heartbeatIntervalSeconds < 1 || unhealthyAfterSeconds < heartbeatIntervalSeconds
        || removeAfterSeconds < unhealthyAfterSeconds || sweepIntervalMillis < 1 || pauseThresholdMillis < 1) {
      throw new IllegalArgumentException("registry.lease: need 1 <= heartbeatIntervalSeconds <= unhealthyAfterSeconds"
          + " <= removeAfterSeconds, and positive sweepIntervalMillis and pauseThresholdMillis");
    }
  }

  public static LeaseConfig defaults() {
    return new LeaseConfig(5, 15, 30, 1000, 5000);
  }

  public static LeaseConfig from(JsonObject json) {
    LeaseConfig d = defaults();
    return new LeaseConfig(
        json.getInteger("heartbeatIntervalSeconds", d.heartbeatIntervalSeconds),
        json.getInteger("unhealthyAfterSeconds", d.unhealthyAfterSeconds),
        json.getInteger("removeAfterSeconds", d.removeAfterSeconds),
        json.getLong("sweepIntervalMillis", d.sweepIntervalMillis),
        json.getLong("pauseThresholdMillis", d.pauseThresholdMillis));
  }

  public Duration unhealthyAfter(ServiceInstance instance) {
    return scaled(instance, unhealthyAfterSeconds);
  }

  public Duration removeAfter(ServiceInstance instance) {
    return scaled(instance, removeAfterSeconds);
  }

  private Duration scaled(ServiceInstance instance, int seconds) {
    Integer own = instance.heartbeatIntervalSeconds();
    if (own == null) {
      return Duration.ofSeconds(seconds);
    }
    return Duration.ofMillis(seconds * 1000L * own / heartbeatIntervalSeconds);
  }
}
