package com.wz.gateway.config;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Environment variables over the YAML settings. Every leaf {@code a.bC.d} of the configuration
 * can be set as {@code GATEWAY_A_B_C_D}; a few short names are kept as aliases. Values take the
 * type of the setting they replace.
 */
public final class EnvOverrides {

  /** Short names operators and the Dockerfile use, and the setting each one sets. */
  public static final Map<String, String> ALIASES = Map.of(
      "GATEWAY_DATA_DIR", "data.dir",
      "NACOS_SERVER_ADDR", "registry.nacos.serverAddr",
      "NACOS_SERVER_PORT", "registry.nacos.serverPort",
      "NACOS_NAMESPACE", "registry.nacos.namespace",
      "NACOS_GROUP", "registry.group",
      "NACOS_USERNAME", "registry.nacos.username",
      "NACOS_PASSWORD", "registry.nacos.password");

  private EnvOverrides() {
  }

  /** {@code config} with every matching variable of {@code env} applied; {@code config} is not changed. */
  public static JsonObject apply(JsonObject config, Map<String, String> env) {
    JsonObject result = config.copy();
    Map<String, String> paths = new LinkedHashMap<>();
    collect(result, "", paths);
    paths.forEach((name, path) -> {
      String value = env.get(name);
      if (value != null) {
        set(result, path, value);
      }
    });
    ALIASES.forEach((name, path) -> {
      String value = env.get(name);
      if (value != null && !value.isEmpty()) {
        set(result, path, value);
      }
    });
    return result;
  }

  /** The variable name of a setting: {@code registry.lease.removeAfterSeconds} → {@code GATEWAY_REGISTRY_LEASE_REMOVE_AFTER_SECONDS}. */
  public static String variableName(String path) {
    return "GATEWAY_" + path.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
  }

  private static void collect(JsonObject node, String prefix, Map<String, String> paths) {
    for (String key : node.fieldNames()) {
      String path = prefix.isEmpty() ? key : prefix + "." + key;
      if (node.getValue(key) instanceof JsonObject child) {
        collect(child, path, paths);
      } else {
        paths.put(variableName(path), path);
      }
    }
  }

  private static void set(JsonObject root, String path, String value) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    String key = parts[parts.length - 1];
    node.put(key, convert(node.getValue(key), value, path));
  }

  private static Object convert(Object current, String value, String path) {
    try {
      if (current instanceof Integer) {
        return Integer.parseInt(value.trim());
      }
      if (current instanceof Long) {
        return Long.parseLong(value.trim());
      }
      if (current instanceof Double || current instanceof Float) {
        return Double.parseDouble(value.trim());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(variableName(path) + " must be a number, not '" + value + "'");
    }
    if (current instanceof io.vertx.core.json.JsonArray) {
      return new io.vertx.core.json.JsonArray(java.util.Arrays.stream(value.split(","))
          .map(String::trim).filter(v -> !v.isEmpty()).map(Object.class::cast).toList());
    }
    if (current instanceof Boolean) {
      if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(variableName(path) + " must be true or false, not '" + value + "'");
      }
      return Boolean.parseBoolean(value);
    }
    return value;
  }
}
