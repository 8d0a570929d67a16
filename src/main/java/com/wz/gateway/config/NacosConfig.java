package com.wz.gateway.config;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where the Nacos server is and how to reach it. {@link #toString()} never shows the password.
 *
 * @param serverAddr {@code host[:port][,host[:port]]}; IPv6 hosts in brackets
 * @param serverPort the port of every host of {@code serverAddr} that names none
 * @param emptyPushProtection hold back an empty push for a service that has instances able to serve
 * @param emptyPushConfirmMillis how long after such a push the server is asked whether the service is really empty
 * @param probeIntervalMillis how often the connection to Nacos is checked
 */
public record NacosConfig(String serverAddr, int serverPort, String namespace, String username, String password,
                          String logDir, String cacheDir, String logLevel, boolean emptyPushProtection,
                          long emptyPushConfirmMillis, long probeIntervalMillis) {

  public NacosConfig {
    if (serverPort < 1 || serverPort > 65535) {
      throw new IllegalArgumentException("registry.nacos.serverPort must be between 1 and 65535");
    }
    if (serverAddr == null || serverAddr.isBlank()) {
      throw new IllegalArgumentException("registry.nacos.serverAddr must name at least one host");
    }
  }

  static NacosConfig from(JsonObject json) {
    return new NacosConfig(
        json.getString("serverAddr", "127.0.0.1:8848"),
        json.getInteger("serverPort", 8848),
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

  /** The servers to connect to: {@link #serverAddr()} with {@link #serverPort()} added where a host names no port. */
  public String servers() {
    return Arrays.stream(serverAddr.split(","))
        .map(String::trim)
        .filter(host -> !host.isEmpty())
        .map(host -> hasPort(host) ? host : host + ":" + serverPort)
        .collect(Collectors.joining(","));
  }

  private static boolean hasPort(String host) {
    int colon = host.lastIndexOf(':');
    return colon > host.lastIndexOf(']') && (host.startsWith("[") || colon == host.indexOf(':'));
  }

  @Override
  public String toString() {
    return "NacosConfig[servers=" + servers() + ", namespace=" + namespace + ", username=" + username
        + ", password=" + (password == null || password.isEmpty() ? "" : "******") + "]";
  }
}
