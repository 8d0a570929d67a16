package com.wz.gateway.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** One page of the services list, sorted by name; {@code total} counts all matching services. */
public record ServicePage(List<ServiceSummary> services, int total, int page, int size) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("services", new JsonArray(services.stream().map(ServiceSummary::toJson).toList()))
        .put("total", total)
        .put("page", page)
        .put("size", size);
  }

  public static ServicePage fromJson(JsonObject json) {
    return new ServicePage(
        json.getJsonArray("services").stream().map(o -> ServiceSummary.fromJson((JsonObject) o)).toList(),
        json.getInteger("total"), json.getInteger("page"), json.getInteger("size"));
  }

  /** Cuts page {@code page} (1-based) of {@code size} out of the full, sorted list. */
  public static ServicePage of(List<ServiceSummary> all, int page, int size) {
    long from = (long) (page - 1) * size;
    List<ServiceSummary> slice = from >= all.size() ? List.of()
        : all.subList((int) from, (int) Math.min(all.size(), from + size));
    return new ServicePage(slice, all.size(), page, size);
  }
}
