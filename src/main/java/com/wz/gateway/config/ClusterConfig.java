package com.wz.gateway.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Clustered mode: gateway nodes and other Vert.x applications share one event bus through
 * Hazelcast. Members find each other from a fixed list of {@code host:port} addresses (no multicast).
 *
 * @param host the address this node binds and advertises (Hazelcast and the event bus)
 * @param port the Hazelcast port (the next ones are tried when it is taken)
 * @param members the other members, {@code host:port}
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members) {

  public ClusterConfig {
    members = List.copyOf(members);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("cluster.port must be between 0 and 65535");
    }
  }

  static ClusterConfig from(JsonObject json) {
    Object members = json.getValue("members");
    List<String> list = members instanceof JsonArray array ? array.stream().map(String::valueOf).toList()
        : members instanceof String text && !text.isBlank()
            ? List.of(text.split(",")).stream().map(String::trim).filter(m -> !m.isEmpty()).toList()
            : List.of();
    return new ClusterConfig(json.getBoolean("enabled", false), json.getString("name", "registry-gateway"),
        json.getString("host", "127.0.0.1"), json.getInteger("port", 5701), list);
  }
}
