package com.wz.gateway.config;

import io.vertx.core.json.JsonObject;

/**
 * The HTTP server: where it listens, how large a body may be, how many event loops serve it, and
 * the change feed (how many recent changes each loop keeps for reconnecting clients, how often an
 * idle stream gets a keep-alive comment).
 */
public record HttpConfig(String host, int port, long bodyLimitBytes, int instances, int feedHistory,
                         long feedHeartbeatMillis) {

  public HttpConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http.port must be between 0 and 65535, not " + port);
    }
    if (bodyLimitBytes < 1024) {
      throw new IllegalArgumentException("http.bodyLimitBytes must be at least 1024");
    }
    if (feedHistory < 1 || feedHeartbeatMillis < 1) {
      throw new IllegalArgumentException("http.feed.historySize and http.feed.heartbeatMillis must be positive");
    }
    if (instances < 0) {
      throw new IllegalArgumentException("http.instances must be 0 (one per core) or more");
    }
  }

  static HttpConfig from(JsonObject json) {
    JsonObject feed = json.getJsonObject("feed", new JsonObject());
    return new HttpConfig(json.getString("host", "0.0.0.0"), json.getInteger("port", 8080),
        json.getLong("bodyLimitBytes", 65536L), json.getInteger("instances", 0),
        feed.getInteger("historySize", 10_000), feed.getLong("heartbeatMillis", 15_000L));
  }

  /** How many HTTP verticles to deploy. */
  public int effectiveInstances() {
    return instances > 0 ? instances : Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
