package com.wz.gateway.registry;

import io.vertx.core.json.JsonObject;

/**
 * An active health check that the gateway runs against an instance, as Consul does:
 * an HTTP GET of {@code path} (2xx/3xx passes) or a TCP connect.
 */
public record HealthCheckSpec(Type type, String path, int intervalSeconds, int timeoutSeconds) {

  public enum Type { HTTP, TCP }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type.name().toLowerCase());
    if (path != null) {
      json.put("path", path);
    }
    return json.put("intervalSeconds", intervalSeconds).put("timeoutSeconds", timeoutSeconds);
  }

  /** Reads a spec written by {@link #toJson()}; the input is trusted. */
  public static HealthCheckSpec fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    return new HealthCheckSpec(Type.valueOf(json.getString("type").toUpperCase()), json.getString("path"),
        json.getInteger("intervalSeconds"), json.getInteger("timeoutSeconds"));
  }
}
