package com.wz.gateway.http;

import com.wz.gateway.bus.Addresses;
import com.wz.gateway.bus.RegistryClient;
import com.wz.gateway.health.HealthChecker;
import com.wz.gateway.registry.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code /health}, {@code /health/live}, {@code /health/ready} (MicroProfile Health: 200 UP, 503 DOWN)
 * and the registry's {@code /health/status} and {@code /health/check}. Results come from the
 * scheduler over the event bus; a scheduler that does not answer in time means DOWN.
 */
final class HealthRoutes {

  private final Vertx vertx;
  private final RegistryClient registry;
  private final DeliveryOptions options;

  HealthRoutes(Vertx vertx, RegistryClient registry, long timeoutMillis) {
    this.vertx = vertx;
    this.registry = registry;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMillis);
  }

  /** The probe endpoints, at the root. */
  void registerProbes(Router router) {
    router.get("/health").handler(ctx -> probe(ctx, null));
    router.get("/health/live").handler(ctx -> probe(ctx, HealthChecker.Kind.LIVENESS));
    router.get("/health/ready").handler(ctx -> probe(ctx, HealthChecker.Kind.READINESS));
  }

  /** The registry API's health endpoints, under its base path. */
  void registerRoutes(Router router, BodyHandler body) {
    router.get("/health/status").handler(this::status);
    router.post("/health/check").handler(body).handler(this::check);
  }

  private void probe(RoutingContext ctx, HealthChecker.Kind kind) {
    JsonObject query = kind == null ? new JsonObject() : new JsonObject().put("kind", kind.name());
    ask(Addresses.HEALTH_STATUS, query)
        .otherwise(error -> new JsonObject().put("status", "DOWN").put("checks", new JsonArray()
            .add(new JsonObject().put("id", "scheduler").put("status", "DOWN")
                .put("data", new JsonObject().put("reason", "no health results: " + error.getMessage())))))
        .onSuccess(report -> {
          report.remove("checkedAt");
          send(ctx, "UP".equals(report.getString("status")) ? 200 : 503, report);
        });
  }

  private void status(RoutingContext ctx) {
    withInstances(ask(Addresses.HEALTH_STATUS, new JsonObject())).onComplete(ar -> answer(ctx, ar));
  }

  private void check(RoutingContext ctx) {
    JsonObject body = Requests.optionalJsonObject(ctx);
    JsonObject request = new JsonObject();
    if (body != null && body.containsKey("checks")) {
      if (!(body.getValue("checks") instanceof JsonArray names) || !names.stream().allMatch(String.class::isInstance)) {
        throw RegistryException.badRequest("checks", "must be a list of check names");
      }
      request.put("checks", names);
    }
    if (body != null && body.containsKey("service") && !(body.getValue("service") instanceof String)) {
      throw RegistryException.badRequest("service", "must be a service name");
    }
    withInstances(ask(Addresses.HEALTH_CHECK, request)).onComplete(ar -> answer(ctx, ar));
  }

  /** Adds the registry's instance counts: {@code {"instances": {"total", "healthy", "unhealthy"}}}. */
  private Future<JsonObject> withInstances(Future<JsonObject> report) {
    return report.compose(r -> registry.ping()
        .map(ping -> {
          int total = ping.getInteger("instances", 0);
          int healthy = ping.getInteger("healthyInstances", 0);
          return new JsonObject().put("total", total).put("healthy", healthy).put("unhealthy", total - healthy);
        })
        .otherwise(e -> new JsonObject().putNull("total").putNull("healthy").putNull("unhealthy"))
        .map(instances -> new JsonObject()
            .put("status", r.getString("status"))
            .put("checks", r.getJsonArray("checks"))
            .put("instances", instances)
            .put("checkedAt", r.getString("checkedAt"))));
  }

  private Future<JsonObject> ask(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, options).map(m -> m.body())
        .recover(error -> {
          if (error instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            return Future.failedFuture(RegistryException.fromMessage(reply.failureCode(), reply.getMessage()));
          }
          return Future.failedFuture(RegistryException.unavailable("the health checker did not answer"));
        });
  }

  private static void answer(RoutingContext ctx, io.vertx.core.AsyncResult<JsonObject> ar) {
    if (ar.failed()) {
      ctx.fail(ar.cause());
    } else {
      send(ctx, 200, ar.result());
    }
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.encode());
  }
}
