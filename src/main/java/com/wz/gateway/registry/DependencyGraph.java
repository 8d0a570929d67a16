package com.wz.gateway.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The dependency graph of one group, as instances declare it in their {@code dependencies} metadata
 * (comma-separated service names). Walks terminate on cycles: every service is visited once.
 */
public final class DependencyGraph {

  public static final String METADATA_KEY = "dependencies";

  private final String group;
  private final Map<String, List<ServiceInstance>> instances;
  private final Map<String, Set<String>> declared = new TreeMap<>();
  private final Map<String, Set<String>> dependents = new TreeMap<>();

  public DependencyGraph(String group, Map<String, List<ServiceInstance>> instancesByService) {
    this.group = group;
    this.instances = instancesByService;
    instancesByService.forEach((service, list) -> {
      Set<String> deps = list.stream()
          .flatMap(i -> parse(i.metadata().get(METADATA_KEY)).stream())
          .filter(name -> !name.equals(service))
          .collect(Collectors.toCollection(TreeSet::new));
      declared.put(service, deps);
      deps.forEach(dep -> dependents.computeIfAbsent(dep, d -> new TreeSet<>()).add(service));
    });
  }

  /** The names in a {@code dependencies} metadata value. */
  public static Set<String> parse(String value) {
    if (value == null) {
      return Set.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The answer of {@code GET /services/{service}/dependencies}. */
  public JsonObject describe(String service, boolean transitive) {
    Map<String, Integer> deps = walk(service, transitive, s -> declared.getOrDefault(s, Set.of()));
    Map<String, Integer> users = walk(service, transitive, s -> dependents.getOrDefault(s, Set.of()));
    JsonArray dependencies = new JsonArray();
    JsonArray missing = new JsonArray();
    deps.forEach((name, depth) -> {
      JsonObject entry = dependency(name);
      if (transitive) {
        entry.put("depth", depth);
      }
      dependencies.add(entry);
      if (entry.getInteger("instanceCount") == 0) {
        missing.add(name);
      }
    });
    JsonArray dependentList = new JsonArray();
    users.forEach((name, depth) -> {
      JsonObject entry = new JsonObject().put("service", name);
      if (transitive) {
        entry.put("depth", depth);
      }
      dependentList.add(entry);
    });
    return new JsonObject()
        .put("service", service)
        .put("group", group)
        .put("transitive", transitive)
        .put("dependencies", dependencies)
        .put("dependents", dependentList)
        .put("missing", missing);
  }

  private JsonObject dependency(String name) {
    Collection<ServiceInstance> list = instances.getOrDefault(name, List.of());
    long healthy = list.stream().filter(ServiceInstance::servesTraffic).count();
    String status = list.isEmpty() ? "MISSING" : healthy > 0 ? "UP" : "DOWN";
    return new JsonObject()
        .put("service", name)
        .put("instanceCount", list.size())
        .put("healthyInstanceCount", healthy)
        .put("status", status);
  }

  /** Breadth-first from {@code start}: each reachable service (not start) with its distance, in order of discovery. */
  private static Map<String, Integer> walk(String start, boolean transitive, Function<String, Set<String>> next) {
    Map<String, Integer> seen = new LinkedHashMap<>();
    seen.put(start, 0);
    Deque<String> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      String current = queue.poll();
      int depth = seen.get(current);
      if (depth > 0 && !transitive) {
        break;
      }
      for (String n : next.apply(current)) {
        if (!seen.containsKey(n)) {
          seen.put(n, depth + 1);
          queue.add(n);
        }
      }
    }
    seen.remove(start);
    return seen;
  }
}
