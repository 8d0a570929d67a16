package com.wz.gateway.health;

import com.wz.gateway.registry.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Named health checks on vertx-health-check, each in the liveness group, the readiness group or
 * both, with the result of its last run kept so that health endpoints answer without running anything.
 * A check that fails, throws or runs past its timeout is DOWN with the reason.
 *
 * <p>Confined to the context of the verticle that owns it.
 */
public final class HealthChecker {

  /** Which probe a check answers for. */
  public enum Kind { LIVENESS, READINESS }

  private final HealthChecks checks;
  private final Clock clock;
  private final Map<String, Set<Kind>> kinds = new LinkedHashMap<>();
  private final Map<String, JsonObject> last = new LinkedHashMap<>();
  private Instant checkedAt;

  public HealthChecker(Vertx vertx, Clock clock) {
    this.checks = HealthChecks.create(vertx);
    this.clock = clock;
  }

  /** Adds (or replaces) a check; {@code procedure} completes its promise with {@link Status#OK()} or {@link Status#KO()}. */
  public HealthChecker register(String id, Set<Kind> kinds, long timeoutMillis, Handler<Promise<Status>> procedure) {
    deregister(id);
    this.kinds.put(id, EnumSet.copyOf(kinds));
    checks.register(id, timeoutMillis, procedure);
    return this;
  }

  public HealthChecker deregister(String id) {
    if (kinds.remove(id) != null) {
      checks.unregister(id);
      last.remove(id);
    }
    return this;
  }

  public Set<String> ids() {
    return kinds.keySet();
  }

  /**
   * Runs the checks named in {@code ids} (all when empty) and keeps their results.
   * Completes with true when any check's status changed.
   */
  public Future<Boolean> run(Collection<String> ids) {
    List<String> unknown = ids.stream().filter(id -> !kinds.containsKey(id)).toList();
    if (!unknown.isEmpty()) {
      return Future.failedFuture(RegistryException.badRequest("checks",
          "names unknown checks " + unknown + "; known checks are " + kinds.keySet()));
    }
    List<String> toRun = ids.isEmpty() ? List.copyOf(kinds.keySet()) : List.copyOf(ids);
    List<Future<JsonObject>> results = toRun.stream().map(this::runOne).toList();
    return Future.join(results).map(done -> {
      boolean changed = false;
      for (int i = 0; i < toRun.size(); i++) {
        JsonObject result = results.get(i).result();
        JsonObject before = last.put(toRun.get(i), result);
        changed |= before == null || !before.getString("status").equals(result.getString("status"));
      }
      checkedAt = clock.instant();
      return changed;
    });
  }

  /** The last results of the checks of {@code kind} (all checks when null), MicroProfile Health style. */
  public JsonObject report(Kind kind) {
    JsonArray list = new JsonArray();
    boolean up = true;
    for (Map.Entry<String, Set<Kind>> entry : kinds.entrySet()) {
      if (kind != null && !entry.getValue().contains(kind)) {
        continue;
      }
      JsonObject result = last.getOrDefault(entry.getKey(), down(entry.getKey(), "not checked yet"));
      up &= "UP".equals(result.getString("status"));
      list.add(result);
    }
    return new JsonObject()
        .put("status", up ? "UP" : "DOWN")
        .put("checks", list)
        .put("checkedAt", checkedAt == null ? null : checkedAt.toString());
  }

  private Future<JsonObject> runOne(String id) {
    return checks.checkStatus(id).map(result -> toJson(id, result))
        .otherwise(error -> down(id, String.valueOf(error.getMessage())));
  }

  private static JsonObject toJson(String id, CheckResult result) {
    Status status = result.getStatus();
    if (result.getFailure() != null || status == null) {
      String reason = result.getFailure() == null ? "no status" : String.valueOf(result.getFailure().getMessage());
      return down(id, reason.toLowerCase().contains("timeout") ? "timeout" : reason);
    }
    JsonObject data = status.getData() == null ? new JsonObject() : status.getData();
    if (status.isProcedureInError()) {
      String cause = data.getString("cause", "the check failed");
      return down(id, cause.toLowerCase().contains("timeout") ? "timeout" : cause);
    }
    return new JsonObject().put("id", id).put("status", status.isOk() ? "UP" : "DOWN").put("data", data);
  }

  private static JsonObject down(String id, String reason) {
    return new JsonObject().put("id", id).put("status", "DOWN").put("data", new JsonObject().put("reason", reason));
  }
}
