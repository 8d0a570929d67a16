package com.wz.gateway.registry;

import io.vertx.core.json.JsonObject;

/**
 * A services-list query: one group, an optional name filter ({@code nameContains}, case-insensitive),
 * and a page (1-based) of {@code size} services.
 */
public record ServiceQuery(String group, String nameContains, int page, int size) {

  public static final int MAX_SIZE = 1000;
  public static final int DEFAULT_SIZE = 100;

  public ServiceQuery {
    Names.requireGroup(group);
    if (page < 1) {
      throw RegistryException.badRequest("page", "must be a whole number of at least 1");
    }
    if (size < 1 || size > MAX_SIZE) {
      throw RegistryException.badRequest("size", "must be a whole number between 1 and " + MAX_SIZE);
    }
  }

  public boolean matches(String name) {
    return nameContains == null || nameContains.isEmpty()
        || name.toLowerCase().contains(nameContains.toLowerCase());
  }

  public JsonObject toJson() {
    return new JsonObject().put("group", group).put("q", nameContains).put("page", page).put("size", size);
  }

  public static ServiceQuery fromJson(JsonObject json, String defaultGroup) {
    return new ServiceQuery(json.getString("group", defaultGroup), json.getString("q"),
        json.getInteger("page", 1), json.getInteger("size", DEFAULT_SIZE));
  }
}
