package com.wz.gateway.http;

import com.wz.gateway.registry.InstanceStatus;
import com.wz.gateway.registry.Names;
import com.wz.gateway.registry.RegistryException;
import com.wz.gateway.registry.ServiceKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reading what a client sent: path and query parameters and JSON bodies, each checked, bad input a 400/415. */
final class Requests {

  private Requests() {
  }

  static ServiceKey serviceKey(RoutingContext ctx, String defaultGroup) {
    String service = ctx.pathParam("service");
    Names.requireService(service);
    return ServiceKey.of(group(ctx, defaultGroup), service);
  }

  static String group(RoutingContext ctx, String defaultGroup) {
    String group = ctx.queryParams().get("group");
    if (group == null || group.isEmpty()) {
      return defaultGroup;
    }
    Names.requireGroup(group);
    return group;
  }

  /** The group of a registration: the query's, else the body's, else the default; both given must agree. */
  static String registrationGroup(RoutingContext ctx, JsonObject body, String defaultGroup) {
    Object inBody = body.getValue("group");
    if (inBody != null && !(inBody instanceof String)) {
      throw RegistryException.badRequest("group", "must be a string");
    }
    String inQuery = ctx.queryParams().get("group");
    if (inQuery == null || inQuery.isEmpty()) {
      return inBody == null ? defaultGroup : (String) inBody;
    }
    if (inBody != null && !inBody.equals(inQuery)) {
      throw RegistryException.badRequest("group", "is " + inQuery + " in the query but " + inBody + " in the body");
    }
    return inQuery;
  }

  static String instanceId(RoutingContext ctx) {
    String id = ctx.pathParam("instanceId");
    Names.requireInstanceId(id);
    return id;
  }

  static boolean bool(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isEmpty() || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw RegistryException.badRequest(name, "must be true or false");
  }

  static int integer(RoutingContext ctx, String name, int defaultValue) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw RegistryException.badRequest(name, "must be a whole number");
    }
  }

  static InstanceStatus status(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    return InstanceStatus.parse(value).orElseThrow(() ->
        RegistryException.badRequest(name, "must be one of " + InstanceStatus.names()));
  }

  static String cluster(RoutingContext ctx) {
    String cluster = ctx.queryParams().get("cluster");
    if (cluster == null || cluster.isEmpty()) {
      return null;
    }
    if (!Names.isCluster(cluster)) {
      throw RegistryException.badRequest("cluster", Names.CLUSTER_RULE);
    }
    return cluster;
  }

  /** The body as a JSON object: 415 when it is declared as something else, 400 when absent or not an object. */
  static JsonObject jsonObject(RoutingContext ctx) {
    JsonObject body = optionalJsonObject(ctx);
    if (body == null) {
      throw new RegistryException(400, "a JSON object body is required");
    }
    return body;
  }

  /** As {@link #jsonObject}, but an empty body is {@code null}. */
  static JsonObject optionalJsonObject(RoutingContext ctx) {
    Buffer buffer = ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      return null;
    }
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && !isJson(type)) {
      throw new RegistryException(415, "the body must be JSON (Content-Type: application/json), not " + type);
    }
    Object value;
    try {
      value = Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw new RegistryException(400, "the body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw new RegistryException(400, "the body must be a JSON object");
    }
    return object;
  }

  private static boolean isJson(String contentType) {
    String mime = contentType.split(";", 2)[0].trim().toLowerCase();
    return mime.equals("application/json") || mime.endsWith("+json");
  }
}
