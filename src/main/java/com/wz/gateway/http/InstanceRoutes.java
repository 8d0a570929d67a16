package com.wz.gateway.http;

import com.wz.gateway.bus.RegistryClient;
import com.wz.gateway.registry.InstanceCache;
import com.wz.gateway.registry.InstanceFilter;
import com.wz.gateway.registry.RegistryException;
import com.wz.gateway.registry.ServiceInstance;
import com.wz.gateway.registry.ServiceKey;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code /services/{service}/instances}: discovery from the cache, writes through the registry. */
final class InstanceRoutes {

  private static final String JSON = "application/json; charset=utf-8";
  private static final CharSequence JSON_HEADER = HttpHeaders.createOptimized(JSON);

  private final RegistryClient registry;
  private final InstanceCache cache;
  private final String defaultGroup;
  private final String basePath;

  InstanceRoutes(RegistryClient registry, InstanceCache cache, String defaultGroup, String basePath) {
    this.registry = registry;
    this.cache = cache;
    this.defaultGroup = defaultGroup;
    this.basePath = basePath;
  }

  /** @param body reads request bodies, for the routes that take one */
  void registerRoutes(Router router, BodyHandler body) {
    AllowedMethods.read(router, "/services/:service/instances").handler(this::list);
    router.post("/services/:service/instances").handler(body).handler(this::register);
    AllowedMethods.read(router, "/services/:service/instances/:instanceId").handler(this::one);
    router.delete("/services/:service/instances/:instanceId").handler(this::deregister);
    router.patch("/services/:service/instances/:instanceId/status").handler(body).handler(this::updateStatus);
    router.put("/services/:service/instances/:instanceId/heartbeat").handler(body).handler(this::heartbeat);
  }

  private void list(RoutingContext ctx) {
    ServiceKey key = Requests.serviceKey(ctx, defaultGroup);
    InstanceFilter filter = new InstanceFilter(Requests.bool(ctx, "healthy"), Requests.cluster(ctx),
        Requests.status(ctx, "status"));
    Future<InstanceCache.Body> body = cache.body(key, filter);
    if (body.succeeded()) {
      send(ctx, body.result());
      return;
    }
    body.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        send(ctx, ar.result());
      }
    });
  }

  /** The list, or 304 when the client's {@code If-None-Match} names this very body. */
  private static void send(RoutingContext ctx, InstanceCache.Body body) {
    HttpServerResponse response = ctx.response().putHeader(HttpHeaders.ETAG, body.etag());
    if (Conditional.matches(ctx, body.etag())) {
      response.setStatusCode(304).end();
    } else {
      response.putHeader(HttpHeaders.CONTENT_TYPE, JSON_HEADER).end(body.bytes());
    }
  }

  private void one(RoutingContext ctx) {
    ServiceKey key = Requests.serviceKey(ctx, defaultGroup);
    String instanceId = Requests.instanceId(ctx);
    cache.instances(key)
        .map(list -> list.stream().filter(i -> i.instanceId().equals(instanceId)).findFirst()
            .orElseThrow(() -> RegistryException.unknownInstance(key, instanceId)))
        .onComplete(ar -> reply(ctx, 200, ar.result(), ar.cause()));
  }

  private void register(RoutingContext ctx) {
    String service = ctx.pathParam("service");
    JsonObject body = Requests.jsonObject(ctx);
    registry.register(service, Requests.registrationGroup(ctx, body, defaultGroup), body)
        .compose(change -> cache.caughtUp(change.instance().key(), change.revision()).map(change))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result().created()) {
            ServiceInstance instance = ar.result().instance();
            ctx.response().putHeader("Location", location(instance));
          }
          reply(ctx, ar.succeeded() && ar.result().created() ? 201 : 200,
              ar.succeeded() ? ar.result().instance() : null, ar.cause());
        });
  }

  private void deregister(RoutingContext ctx) {
    ServiceKey key = Requests.serviceKey(ctx, defaultGroup);
    write(registry.deregister(key, Requests.instanceId(ctx)), key).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  private void updateStatus(RoutingContext ctx) {
    ServiceKey key = Requests.serviceKey(ctx, defaultGroup);
    String instanceId = Requests.instanceId(ctx);
    Object status = Requests.jsonObject(ctx).getValue("status");
    if (!(status instanceof String name)) {
      throw RegistryException.badRequest("status", "is required, one of "
          + com.wz.gateway.registry.InstanceStatus.names());
    }
    write(registry.updateStatus(key, instanceId, name), key)
        .onComplete(ar -> reply(ctx, 200, ar.result(), ar.cause()));
  }

  private void heartbeat(RoutingContext ctx) {
    ServiceKey key = Requests.serviceKey(ctx, defaultGroup);
    write(registry.heartbeat(key, Requests.instanceId(ctx)), key)
        .onComplete(ar -> reply(ctx, 200, ar.result(), ar.cause()));
  }

  /** A write, answered once this event loop's cache shows it: the client reads its own writes. */
  private Future<ServiceInstance> write(Future<RegistryClient.Change> change, ServiceKey key) {
    return change.compose(c -> cache.caughtUp(key, c.revision()).map(c.instance()));
  }

  private String location(ServiceInstance instance) {
    return basePath + "/services/" + encode(instance.service()) + "/instances/" + encode(instance.instanceId())
        + (instance.group().equals(defaultGroup) ? "" : "?group=" + encode(instance.group()));
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void reply(RoutingContext ctx, int status, ServiceInstance instance, Throwable failure) {
    if (failure != null) {
      ctx.fail(failure);
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(instance.toJson().encode());
  }
}
