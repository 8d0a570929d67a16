package com.wz.gateway.http;

import com.wz.gateway.bus.RegistryClient;
import com.wz.gateway.registry.ServiceKey;
import com.wz.gateway.registry.ServiceQuery;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /services} and {@code /services/{service}/dependencies}. */
final class ServiceRoutes {

  private final RegistryClient registry;
  private final String defaultGroup;

  ServiceRoutes(RegistryClient registry, String defaultGroup) {
    this.registry = registry;
    this.defaultGroup = defaultGroup;
  }

  void registerRoutes(Router router) {
    AllowedMethods.read(router, "/services").handler(this::list);
    AllowedMethods.read(router, "/services/:service/dependencies").handler(this::dependencies);
  }

  private void list(RoutingContext ctx) {
    ServiceQuery query = new ServiceQuery(Requests.group(ctx, defaultGroup), ctx.queryParams().get("q"),
        Requests.integer(ctx, "page", 1), Requests.integer(ctx, "size", ServiceQuery.DEFAULT_SIZE));
    registry.services(query).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      Buffer body = ar.result().toJson().toBuffer();
      String etag = Conditional.etagOf(body);
      ctx.response().putHeader(HttpHeaders.ETAG, etag);
      if (Conditional.matches(ctx, etag)) {
        ctx.response().setStatusCode(304).end();
      } else {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8").end(body);
      }
    });
  }

  private void dependencies(RoutingContext ctx) {
    ServiceKey key = Requests.serviceKey(ctx, defaultGroup);
    send(ctx, registry.dependencies(key, Requests.bool(ctx, "transitive")));
  }

  static void send(RoutingContext ctx, Future<JsonObject> body) {
    body.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(ar.result().encode());
      }
    });
  }
}
