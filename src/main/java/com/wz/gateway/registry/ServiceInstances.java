package com.wz.gateway.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A service's instances as of {@code revision}.
 *
 * @param stale true when the backend could not be reached and the list may be out of date
 */
public record ServiceInstances(ServiceKey key, long revision, List<ServiceInstance> instances, boolean stale) {

  public ServiceInstances {
    instances = List.copyOf(instances);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("service", key.service())
        .put("group", key.group())
        .put("revision", revision)
        .put("instances", new JsonArray(instances.stream().map(ServiceInstance::toJson).toList()))
        .put("stale", stale);
  }

  public static ServiceInstances fromJson(JsonObject json) {
    return new ServiceInstances(
        ServiceKey.of(json.getString("group"), json.getString("service")),
        json.getLong("revision", 0L),
        json.getJsonArray("instances").stream().map(o -> ServiceInstance.fromJson((JsonObject) o)).toList(),
        json.getBoolean("stale", false));
  }
}
