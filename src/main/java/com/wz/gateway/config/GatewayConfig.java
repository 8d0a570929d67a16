package com.wz.gateway.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
  private static final Logger LOG = LoggerFactory.getLogger(GatewayConfig.class);

  /** Reads the configuration the way the gateway does at start-up. */
  public static Future<GatewayConfig> load(Vertx vertx, Map<String, String> env) {
    return loadTree(vertx, env).map(GatewayConfig::from);
  }

  /**
   * The settings as one JSON tree: built-in defaults, then the YAML file, then {@code env}. Settings
   * of the file that the gateway does not know are logged (a typo would otherwise go unnoticed).
   */
  public static Future<JsonObject> loadTree(Vertx vertx, Map<String, String> env) {
    String file = env.getOrDefault("GATEWAY_CONFIG", DEFAULT_FILE);
    Future<JsonObject> defaults = read(vertx, yaml(DEFAULTS_RESOURCE, false));
    Future<JsonObject> own = read(vertx, yaml(file, !env.containsKey("GATEWAY_CONFIG")));
    return Future.all(defaults, own).map(both -> {
      unknownSettings(defaults.result(), own.result()).forEach(warning -> LOG.warn("{} in {}", warning, file));
      // merged as vertx-config merges its stores: later ones deep over earlier ones
      return EnvOverrides.apply(defaults.result().copy().mergeIn(own.result(), true), env);
    });
  }

  /**
   * What {@code tree} (a settings file, or the settings merged) sets that {@code defaults} does not
   * have (free-form {@code self.metadata} aside): one sentence each, naming a known setting of the
   * same name when there is one.
   */
  public static List<String> unknownSettings(JsonObject defaults, JsonObject tree) {
    Set<String> known = leaves(defaults, "");
    List<String> warnings = new ArrayList<>();
    for (String path : leaves(tree, "")) {
      if (known.contains(path) || path.startsWith("self.metadata.")) {
        continue;
      }
      String name = path.substring(path.lastIndexOf('.') + 1);
      List<String> alike = known.stream().filter(k -> k.equals(name) || k.endsWith("." + name)).toList();
      warnings.add("Unknown setting " + path + " is ignored" + (alike.isEmpty() ? "" : "; did you mean " + String.join(" or ", alike) + "?"));
    }
    return warnings;
  }

  private static Set<String> leaves(JsonObject node, String prefix) {
    Set<String> paths = new TreeSet<>();
    node.forEach(e -> {
      String path = prefix + e.getKey();
      if (e.getValue() instanceof JsonObject child) {
        paths.addAll(leaves(child, path + "."));
      } else {
        paths.add(path);
      }
    });
    return paths;
  }

  private static Future<JsonObject> read(Vertx vertx, ConfigStoreOptions store) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
        new ConfigRetrieverOptions().setScanPeriod(0).setIncludeDefaultStores(false).addStore(store));
    return retriever.getConfig().eventually(retriever::close);
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
