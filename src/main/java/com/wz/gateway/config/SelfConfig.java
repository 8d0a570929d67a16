package com.wz.gateway.config;

import com.wz.gateway.registry.Names;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's own registration: off by default. When on, the gateway registers itself under
 * {@code service} (STARTING, then UP once it serves), keeps itself alive, and deregisters on shutdown.
 *
 * @param ip the address to advertise; empty means the first non-loopback address of this host
 * @param port the port to advertise; 0 means the HTTP port
 * @param heartbeatIntervalMillis how often the gateway renews instances it keeps alive; 0 means the lease interval
 */
public record SelfConfig(boolean enabled, String service, String ip, int port, boolean ephemeral,
                         JsonObject metadata, long heartbeatIntervalMillis) {

  public SelfConfig {
    if (enabled && !Names.isService(service)) {
      throw new IllegalArgumentException("self.service " + Names.SERVICE_RULE);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("self.port must be between 0 and 65535");
    }
    metadata = metadata == null ? new JsonObject() : metadata.copy();
    if (heartbeatIntervalMillis < 0) {
      throw new IllegalArgumentException("self.heartbeatIntervalMillis must be 0 (the lease interval) or more");
    }
  }

  static SelfConfig from(JsonObject json) {
    return new SelfConfig(json.getBoolean("enabled", false), json.getString("service", "registry-gateway"),
        json.getString("ip", ""), json.getInteger("port", 0), json.getBoolean("ephemeral", true),
        json.getJsonObject("metadata", new JsonObject()), json.getLong("heartbeatIntervalMillis", 0L));
  }
}
