package com.wz.gateway.config;

import io.vertx.core.json.JsonObject;

/**
 * Where the Nacos server is and how to reach it. {@link #toString()} never shows the password.
 *
 * @param emptyPushProtection hold back an empty push for a service that has instances able to serve
 * @param emptyPushConfirmMillis how long after such a push the server is asked whether the service is really empty
 * @param probeIntervalMillis how often the connection to Nacos is checked
 */
public record NacosConfig(String serverAddr, String namespace, String username, String password, String logDir,
                          String cacheDir, String logLevel, boolean emptyPushProtection, long emptyPushConfirmMillis,
                          long probeIntervalMillis) {

  static NacosConfig from(JsonObject json) {
    return new NacosConfig(
        json.getString("serverAddr", "127.0.0.1:8848"),
        json.getString("namespace", ""),
        json.getString("username", ""),
        json.getString("password", ""),
        json.getString("logDir", "logs/nacos"),
        json.getString("cacheDir", "data/nacos"),
        json.getString("logLevel", "info"),
        json.getBoolean("emptyPushProtection", true),
        json.getLong("emptyPushConfirmMillis", 3000L),
        json.getLong("probeIntervalMillis", 1000L));
  }

  @Override
  public String toString() {
    return "NacosConfig[serverAddr=" + serverAddr + ", namespace=" + namespace + ", username=" + username
        + ", password=" + (password == null || password.isEmpty() ? "" : "******") + "]";
  }
}
