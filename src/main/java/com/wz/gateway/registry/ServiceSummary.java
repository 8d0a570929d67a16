package com.wz.gateway.registry;

import io.vertx.core.json.JsonObject;

/** A service as the services list shows it. */
public record ServiceSummary(String name, String group, int instanceCount, int healthyInstanceCount) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("group", group)
        .put("instanceCount", instanceCount)
        .put("healthyInstanceCount", healthyInstanceCount);
  }

  public static ServiceSummary fromJson(JsonObject json) {
    return new ServiceSummary(json.getString("name"), json.getString("group"),
        json.getInteger("instanceCount"), json.getInteger("healthyInstanceCount"));
  }
}
