package com.wz.gateway.config;

import io.vertx.core.json.JsonObject;

/** Where the Nacos server is and how to reach it. {@link #toString()} never shows the password. */
public record NacosConfig(String serverAddr, String namespace, String username, String password, String logDir,
                          String cacheDir, String logLevel) {

  static NacosConfig from(JsonObject json) {
    return new NacosConfig(
        json.getString("serverAddr", "127.0.0.1:8848"),
        json.getString("namespace", ""),
        json.getString("username", ""),
        json.getString("password", ""),
        json.getString("logDir", "logs/nacos"),
        json.getString("cacheDir", "data/nacos"),
        json.getString("logLevel", "info"));
  }

  @Override
  public String toString() {
    return "NacosConfig[serverAddr=" + serverAddr + ", namespace=" + namespace + ", username=" + username
        + ", password=" + (password == null || password.isEmpty() ? "" : "******") + "]";
  }
}
