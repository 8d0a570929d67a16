package com.wz.gateway.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Map;

/**
 * The whole configuration, read once at start-up: the defaults built into the jar, then the YAML
 * file named by {@code GATEWAY_CONFIG} (default {@code conf/application.yaml}, optional), then
 * environment variables ({@link EnvOverrides}). Each part of the gateway gets its own typed slice.
 */
public record GatewayConfig(HttpConfig http, Path dataDir, RegistryConfig registry, HealthConfig health,
                            SelfConfig self, ClusterConfig cluster, long shutdownGracePeriodMillis) {

  /**
   * The defaults built into the jar. Our resources sit in a top-level folder of their own: Vert.x
   * copies every parent folder of a classpath file it reads to its file cache, and under {@code com/}
   * that would be every library of the jar.
   */
  public static final String DEFAULTS_RESOURCE = "registry-gateway/application.yaml";
  public static final String DEFAULT_FILE = "conf/application.yaml";

  /** Reads the configuration the way the gateway does at start-up. */
  public static Future<GatewayConfig> load(Vertx vertx, Map<String, String> env) {
    return loadTree(vertx, env).map(GatewayConfig::from);
  }

  /** The settings as one JSON tree: built-in defaults, then the YAML file, then {@code env}. */
  public static Future<JsonObject> loadTree(Vertx vertx, Map<String, String> env) {
    String file = env.getOrDefault("GATEWAY_CONFIG", DEFAULT_FILE);
    ConfigRetrieverOptions options = new ConfigRetrieverOptions()
        .setScanPeriod(0)
        .setIncludeDefaultStores(false)
        .addStore(yaml(DEFAULTS_RESOURCE, false))
        .addStore(yaml(file, !env.containsKey("GATEWAY_CONFIG")));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .eventually(retriever::close)
        .map(json -> EnvOverrides.apply(json, env));
  }

  public static GatewayConfig from(JsonObject json) {
    JsonObject shutdown = json.getJsonObject("shutdown", new JsonObject());
    return new GatewayConfig(
        HttpConfig.from(json.getJsonObject("http", new JsonObject())),
        Path.of(json.getJsonObject("data", new JsonObject()).getString("dir", "data")),
        RegistryConfig.from(json.getJsonObject("registry", new JsonObject())),
        HealthConfig.from(json.getJsonObject("health", new JsonObject())),
        SelfConfig.from(json.getJsonObject("self", new JsonObject())),
        ClusterConfig.from(json.getJsonObject("cluster", new JsonObject())),
        shutdown.getLong("gracePeriodMillis", 10000L));
  }

  private static ConfigStoreOptions yaml(String path, boolean optional) {
    return new ConfigStoreOptions().setType("file").setFormat("yaml").setOptional(optional)
        .setConfig(new JsonObject().put("path", path));
  }
}
