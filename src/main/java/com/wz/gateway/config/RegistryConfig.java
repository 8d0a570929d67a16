package com.wz.gateway.config;

import com.wz.gateway.registry.Names;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/** Which registry backend, its default group, and the settings of each backend. */
public record RegistryConfig(String backend, String group, long requestTimeoutMillis, LeaseConfig lease,
                             NacosConfig nacos) {

  public static final String EMBEDDED = "embedded";
  public static final String NACOS = "nacos";

  public RegistryConfig {
    if (!Set.of(EMBEDDED, NACOS).contains(backend)) {
      throw new IllegalArgumentException("registry.backend must be 'embedded' or 'nacos', not '" + backend + "'");
    }
    if (!Names.isGroup(group)) {
      throw new IllegalArgumentException("registry.group " + Names.GROUP_RULE);
    }
    if (requestTimeoutMillis < 1) {
      throw new IllegalArgumentException("registry.requestTimeoutMillis must be positive");
    }
  }

  static RegistryConfig from(JsonObject json) {
    return new RegistryConfig(
        json.getString("backend", EMBEDDED),
        json.getString("group", "DEFAULT_GROUP"),
        json.getLong("requestTimeoutMillis", 5000L),
        LeaseConfig.from(json.getJsonObject("lease", new JsonObject())),
        NacosConfig.from(json.getJsonObject("nacos", new JsonObject())));
  }
}
