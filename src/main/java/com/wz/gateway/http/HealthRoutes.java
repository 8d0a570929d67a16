package com.wz.gateway.http;

import com.wz.gateway.bus.Addresses;
import com.wz.gateway.health.HealthChecker;
import com.wz.gateway.registry.Names;
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
  private final DeliveryOptions options;
  private final String defaultGroup;

  HealthRoutes(Vertx vertx, String defaultGroup, long timeoutMillis) {
    this.vertx = vertx;
    this.defaultGroup = defaultGroup;
    this.options = Addresses.local(timeoutMillis);
  }

  /** The probe endpoints, at the root. */
  void registerProbes(Router router) {
    AllowedMethods.read(router, "/health").handler(ctx -> probe(ctx, null));
    AllowedMethods.read(router, "/health/live").handler(ctx -> probe(ctx, HealthChecker.Kind.LIVENESS));
    AllowedMethods.read(router, "/health/ready").handler(ctx -> probe(ctx, HealthChecker.Kind.READINESS));
  }

  /** The registry API's health endpoints, under its base path. */
  void registerRoutes(Router router, BodyHandler body) {
    AllowedMethods.read(router, "/health/status").handler(this::status);
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
    if (body != null && body.containsKey("service")) {
      if (!(body.getValue("service") instanceof String service) || !Names.isService(service)) {
        throw RegistryException.badRequest("service", Names.SERVICE_RULE);
      }
      request.put("service", service).put("group", Requests.group(ctx, defaultGroup));
    }
    withInstances(ask(Addresses.HEALTH_CHECK, request)).onComplete(ar -> answer(ctx, ar));
  }

  /**
   * Adds {@code {"instances": {"total", "healthy", "unhealthy"}}}, from the registry check's last
   * result (no further request: a registry that hangs must not hang health answers too).
   */
  private static Future<JsonObject> withInstances(Future<JsonObject> report) {
    return report.map(r -> {
      JsonObject registry = r.getJsonArray("checks").stream().map(JsonObject.class::cast)
          .filter(c -> "registry".equals(c.getString("id"))).findFirst()
          .map(c -> c.getJsonObject("data", new JsonObject())).orElse(new JsonObject());
      JsonObject instances = new JsonObject();
      if (registry.containsKey("instances")) {
        int total = registry.getInteger("instances");
        int healthy = registry.getInteger("healthyInstances");
        instances.put("total", total).put("healthy", healthy).put("unhealthy", total - healthy);
      } else {
        instances.putNull("total").putNull("healthy").putNull("unhealthy");
      }
      JsonObject answer = new JsonObject()
          .put("status", r.getString("status"))
          .put("checks", r.getJsonArray("checks"))
          .put("instances", instances)
          .put("checkedAt", r.getString("checkedAt"));
      if (r.containsKey("probes")) {
        answer.put("service", r.getString("service")).put("probes", r.getJsonArray("probes"));
      }
      return answer;
    });
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
