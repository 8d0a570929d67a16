package com.wz.gateway.health;

import com.wz.gateway.bus.Addresses;
import com.wz.gateway.bus.RegistryClient;
import com.wz.gateway.config.HealthConfig;
import com.wz.gateway.config.LeaseConfig;
import com.wz.gateway.instance.InstanceManager;
import com.wz.gateway.registry.RegistryException;
import com.wz.gateway.registry.ServiceInstance;
import com.wz.gateway.registry.ServiceKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's periodic work, on timers: ends expired leases (through the registry verticle),
 * renews the instances the gateway keeps alive itself ({@link InstanceManager}), and runs the health
 * checks, keeping their last results and publishing them on {@link Addresses#HEALTH_RESULTS}.
 */
public final class SchedulerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
  private static final long PUBLISH_AT_LEAST_MILLIS = 60_000;
  private static final long MIN_FREE_BYTES = 16L * 1024 * 1024;

  private final HealthConfig health;
  private final LeaseConfig lease;
  private final long keepAliveMillis;
  private final String defaultGroup;
  private final Clock clock;
  private HealthChecker checker;
  private RegistryClient registry;
  private InstanceManager instances;
  private InstanceProber prober;
  private boolean draining;
  private boolean sweeping;
  private final LagMonitor lag;
  private final Path dataDir;
  private long lastPublished;

  /**
   * @param keepAliveMillis how often instances the gateway keeps alive itself are renewed
   * @param dataDir where persistent instances are kept, checked for readiness; {@code null} when the backend keeps none
   */
  public SchedulerVerticle(HealthConfig health, LeaseConfig lease, long keepAliveMillis, String defaultGroup,
                           LagMonitor lag, Path dataDir, Clock clock) {
    this.health = health;
    this.dataDir = dataDir;
    this.lag = lag;
    this.lease = lease;
    this.keepAliveMillis = keepAliveMillis;
    this.defaultGroup = defaultGroup;
    this.clock = clock;
  }

  /** The health checks, for adding checks of other parts of the gateway. Use from this verticle's context. */
  public HealthChecker checker() {
    return checker;
  }

  @Override
  public Future<?> start() {
    registry = RegistryClient.local(vertx, health.checkTimeoutMillis());
    instances = new InstanceManager(registry, defaultGroup);
    prober = new InstanceProber(vertx, health.probe(), health.checkTimeoutMillis());
    checker = new HealthChecker(vertx, clock);
    checker.register("registry", EnumSet.of(HealthChecker.Kind.READINESS), health.checkTimeoutMillis(),
        this::checkRegistry);
    checker.register("event-loop", EnumSet.of(HealthChecker.Kind.LIVENESS), health.checkTimeoutMillis(),
        this::checkEventLoop);
    if (dataDir != null) {
      checker.register("data-dir", EnumSet.of(HealthChecker.Kind.READINESS), health.checkTimeoutMillis(),
          this::checkDataDir);
    }
    checker.register("lifecycle", EnumSet.of(HealthChecker.Kind.READINESS), health.checkTimeoutMillis(),
        promise -> promise.complete(draining
            ? Status.KO(new JsonObject().put("reason", "shutting down"))
            : Status.OK()));
    lag.watch(vertx, "scheduler@" + Thread.currentThread().getName());
    vertx.setPeriodic(lease.sweepIntervalMillis(), id -> expireLeases());
    vertx.setPeriodic(health.intervalMillis(), id -> runChecks(List.of()));
    vertx.setPeriodic(keepAliveMillis, id -> instances.beat());
    vertx.setPeriodic(health.probe().tickMillis(), id -> prober.tick());
    List<MessageConsumer<JsonObject>> consumers = List.of(
        registry.onChange(prober::onChange),
        vertx.eventBus().consumer(Addresses.HEALTH_STATUS, this::status),
        vertx.eventBus().consumer(Addresses.HEALTH_CHECK, this::check),
        vertx.eventBus().localConsumer(Addresses.KEEP_ALIVE_START, this::keepAlive),
        vertx.eventBus().localConsumer(Addresses.KEEP_ALIVE_STOP, this::letGo),
        vertx.eventBus().localConsumer(Addresses.DRAINING, this::drain),
        vertx.eventBus().<JsonObject>localConsumer(Addresses.REACHABILITY, m -> runChecks(List.of("registry"))));
    return Future.join(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> loadProbeTargets())
        .compose(v -> runChecks(List.of()));
  }

  /** Instances the registry already holds with a health check (persistent ones from before a restart). */
  private Future<Void> loadProbeTargets() {
    return vertx.eventBus().<JsonObject>request(Addresses.PROBE_TARGETS, new JsonObject(),
            Addresses.local(health.checkTimeoutMillis()))
        .onSuccess(reply -> reply.body().getJsonArray("instances").forEach(o ->
            prober.track(ServiceInstance.fromJson((JsonObject) o))))
        .onFailure(e -> LOG.warn("Could not load the instances to probe: {}", e.getMessage()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void keepAlive(Message<JsonObject> message) {
    JsonObject body = message.body();
    instances.startHeartbeat(body.getString("service"), body.getString("group"), body.getString("instanceId"),
        body.getJsonObject("registration"));
    message.reply(new JsonObject().put("kept", instances.size()));
  }

  private void letGo(Message<JsonObject> message) {
    JsonObject body = message.body();
    instances.stopHeartbeat(body.getString("service"), body.getString("group"), body.getString("instanceId"));
    message.reply(new JsonObject().put("kept", instances.size()));
  }

  private void drain(Message<JsonObject> message) {
    draining = true;
    runChecks(List.of("lifecycle")).onComplete(ar -> message.reply(checker.report(HealthChecker.Kind.READINESS)));
  }

  private Future<Boolean> runChecks(List<String> ids) {
    return checker.run(ids).onSuccess(changed -> {
      long now = System.currentTimeMillis();
      if (changed || now - lastPublished >= PUBLISH_AT_LEAST_MILLIS) {
        lastPublished = now;
        JsonObject report = checker.report(null);
        if (changed) {
          LOG.info("Health is now {}: {}", report.getString("status"), report.getJsonArray("checks").encode());
        }
        vertx.eventBus().publish(Addresses.HEALTH_RESULTS, report);
      }
    });
  }

  private void status(Message<JsonObject> message) {
    message.reply(checker.report(kind(message.body())));
  }

  private void check(Message<JsonObject> message) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    if (body.getString("service") != null) {
      probeService(message, ServiceKey.of(body.getString("group", defaultGroup), body.getString("service")));
      return;
    }
    JsonArray names = body.getJsonArray("checks", new JsonArray());
    List<String> ids = names.stream().map(String::valueOf).toList();
    runChecks(ids).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(checker.report(kind(body)));
      } else if (ar.cause() instanceof RegistryException e) {
        message.fail(e.status(), e.toMessage());
      } else {
        message.fail(500, new RegistryException(500, "health checks failed to run").toMessage());
      }
    });
  }

  /** Probes a service's instances now: the report, with each instance's probe state. */
  private void probeService(Message<JsonObject> message, ServiceKey key) {
    prober.probeNow(key).compose(probes -> runChecks(List.of("registry")).map(probes))
        .onComplete(ar -> message.reply(checker.report(null)
            .put("service", key.service())
            .put("probes", new JsonArray(ar.succeeded() ? ar.result() : List.of()))));
  }

  private static HealthChecker.Kind kind(JsonObject body) {
    String kind = body == null ? null : body.getString("kind");
    return kind == null ? null : HealthChecker.Kind.valueOf(kind);
  }

  /** A late answer is dropped: the check may have timed out meanwhile (hence tryComplete). */
  private void checkRegistry(Promise<Status> promise) {
    registry.ping().onComplete(ar -> {
      if (ar.succeeded() && ar.result().getBoolean("reachable", true)) {
        promise.tryComplete(Status.OK(ar.result()));
      } else if (ar.succeeded()) {
        promise.tryComplete(Status.KO(ar.result().copy()
            .put("reason", "the " + ar.result().getString("backend") + " registry server cannot be reached")));
      } else {
        promise.tryComplete(Status.KO(new JsonObject().put("reason", ar.cause().getMessage())));
      }
    });
  }

  /** The data dir takes writes: it exists, is writable, and has room (a full disk refuses persistent registrations). */
  private void checkDataDir(Promise<Status> promise) {
    vertx.executeBlocking(() -> {
      Path dir = dataDir.toAbsolutePath();
      long free = Files.getFileStore(dir).getUsableSpace();
      JsonObject data = new JsonObject().put("path", dir.toString()).put("freeBytes", free);
      if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
        return Status.KO(data.put("reason", "not a writable directory"));
      }
      return free < MIN_FREE_BYTES ? Status.KO(data.put("reason", "less than 16 MiB free")) : Status.OK(data);
    }, false).onComplete(ar -> promise.tryComplete(ar.succeeded() ? ar.result()
        : Status.KO(new JsonObject().put("reason", String.valueOf(ar.cause().getMessage())))));
  }

  /** Every watched event loop (the scheduler's and the HTTP ones) must have kept up since the last run. */
  private void checkEventLoop(Promise<Status> promise) {
    Map<String, Long> loops = lag.drain();
    long worst = loops.values().stream().mapToLong(Long::longValue).max().orElse(0);
    JsonObject data = new JsonObject().put("maxLagMillis", worst).put("limitMillis", health.maxEventLoopLagMillis())
        .put("loops", new JsonObject(new LinkedHashMap<>(loops)));
    if (worst > health.maxEventLoopLagMillis()) {
      data.put("reason", "an event loop lagged " + worst + " ms");
      promise.complete(Status.KO(data));
    } else {
      promise.complete(Status.OK(data));
    }
  }

  private void expireLeases() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    vertx.eventBus().request(Addresses.EXPIRE_LEASES, new JsonObject(),
            Addresses.local(Math.max(1000, lease.sweepIntervalMillis() * 10)))
        .onFailure(e -> LOG.warn("Lease expiry did not run: {}", e.getMessage()))
        .onComplete(ar -> sweeping = false);
  }
}
