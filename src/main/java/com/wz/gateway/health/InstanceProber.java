package com.wz.gateway.health;

import com.wz.gateway.bus.Addresses;
import com.wz.gateway.config.ProbeConfig;
import com.wz.gateway.registry.HealthCheckSpec;
import com.wz.gateway.registry.RegistryEvent;
import com.wz.gateway.registry.ServiceInstance;
import com.wz.gateway.registry.ServiceKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Active health checks of instances, as Consul runs them: an HTTP GET (2xx or 3xx passes) or a TCP
 * connect, every {@code intervalSeconds}, with no thread per instance (one timer, asynchronous
 * clients). A verdict changes only after {@link ProbeConfig#failuresToUnhealthy()} failures or
 * {@link ProbeConfig#successesToHealthy()} passes in a row; passing probes keep the instance's
 * lease alive. Confined to the context of the verticle that owns it.
 */
public final class InstanceProber {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceProber.class);

  /** One probed instance. */
  private static final class Probe {
    ServiceInstance instance;
    boolean healthy;
    int failures;
    int passes;
    long nextDueMillis;
    boolean running;
    String lastResult = "not probed yet";
    Instant lastProbedAt;

    JsonObject toJson() {
      return new JsonObject()
          .put("instanceId", instance.instanceId())
          .put("healthy", healthy)
          .put("lastResult", lastResult)
          .put("lastProbedAt", lastProbedAt == null ? null : lastProbedAt.toString())
          .put("consecutiveFailures", failures)
          .put("consecutivePasses", passes);
    }
  }

  private final Vertx vertx;
  private final ProbeConfig config;
  private final WebClient http;
  private final NetClient tcp;
  private final DeliveryOptions options;
  private final Map<String, Probe> probes = new LinkedHashMap<>();
  private int running;

  public InstanceProber(Vertx vertx, ProbeConfig config, long requestTimeoutMillis) {
    this.vertx = vertx;
    this.config = config;
    this.http = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setKeepAlive(false)
        .setUserAgent("registry-gateway-probe"));
    this.tcp = vertx.createNetClient(new NetClientOptions());
    this.options = Addresses.local(requestTimeoutMillis);
  }

  /** Follows the registry: instances with a health check are probed, others are not. */
  public void onChange(RegistryEvent event) {
    switch (event.type()) {
      case REGISTERED, UPDATED -> track(event.instance());
      case DEREGISTERED -> probes.remove(id(event.instance()));
      case SNAPSHOT -> {
        probes.values().removeIf(p -> p.instance.key().equals(event.key()));
        event.instances().forEach(this::track);
      }
    }
  }

  public void track(ServiceInstance instance) {
    if (instance.healthCheck() == null) {
      probes.remove(id(instance));
      return;
    }
    Probe probe = probes.computeIfAbsent(id(instance), k -> new Probe());
    boolean fresh = probe.instance == null;
    probe.instance = instance;
    probe.healthy = instance.healthy();
    if (fresh) {
      probe.nextDueMillis = System.currentTimeMillis();
    }
  }

  public int size() {
    return probes.size();
  }

  /** Starts the probes that are due (called by the scheduler's timer). */
  public void tick() {
    long now = System.currentTimeMillis();
    for (Probe probe : List.copyOf(probes.values())) {
      if (running >= config.maxConcurrent()) {
        return;
      }
      if (!probe.running && probe.nextDueMillis <= now) {
        run(probe);
      }
    }
  }

  /** Probes every instance of {@code key} now; completes with their states once all have answered. */
  public Future<List<JsonObject>> probeNow(ServiceKey key) {
    List<Future<Probe>> runs = new ArrayList<>();
    for (Probe probe : List.copyOf(probes.values())) {
      if (probe.instance.key().equals(key)) {
        runs.add(probe.running ? Future.succeededFuture(probe) : run(probe));
      }
    }
    return Future.join(runs).map(done -> runs.stream().map(f -> f.result().toJson()).toList());
  }

  private Future<Probe> run(Probe probe) {
    probe.running = true;
    running++;
    ServiceInstance instance = probe.instance;
    HealthCheckSpec spec = instance.healthCheck();
    return attempt(instance, spec)
        .transform(ar -> {
          running--;
          probe.running = false;
          probe.lastProbedAt = Instant.now();
          probe.nextDueMillis = System.currentTimeMillis() + spec.intervalSeconds() * 1000L;
          probe.lastResult = ar.succeeded() ? ar.result() : String.valueOf(ar.cause().getMessage());
          return judge(probe, ar.succeeded());
        })
        .map(probe);
  }

  private Future<String> attempt(ServiceInstance instance, HealthCheckSpec spec) {
    long timeout = spec.timeoutSeconds() * 1000L;
    if (spec.type() == HealthCheckSpec.Type.TCP) {
      return tcp.connect(instance.port(), instance.ip())
          .timeout(timeout, TimeUnit.MILLISECONDS)
          .compose(socket -> socket.close().map("tcp connect ok"));
    }
    return http.get(instance.port(), instance.ip(), spec.path()).timeout(timeout).send()
        .compose(response -> response.statusCode() < 400
            ? Future.succeededFuture("HTTP " + response.statusCode())
            : Future.failedFuture("HTTP " + response.statusCode()));
  }

  /** Counts the result and reports the verdict when it changes, and every pass (it renews the lease). */
  private Future<Void> judge(Probe probe, boolean passed) {
    if (passed) {
      probe.passes++;
      probe.failures = 0;
    } else {
      probe.failures++;
      probe.passes = 0;
    }
    boolean verdict = probe.healthy;
    if (!probe.healthy && probe.passes >= config.successesToHealthy()) {
      verdict = true;
    } else if (probe.healthy && probe.failures >= config.failuresToUnhealthy()) {
      verdict = false;
    }
    if (verdict != probe.healthy) {
      LOG.info("Instance {} of {} is now {} ({})", probe.instance.instanceId(), probe.instance.key(),
          verdict ? "healthy" : "unhealthy", probe.lastResult);
      probe.healthy = verdict;
    } else if (!passed) {
      return Future.succeededFuture();
    }
    JsonObject report = new JsonObject()
        .put("service", probe.instance.service())
        .put("group", probe.instance.group())
        .put("instanceId", probe.instance.instanceId())
        .put("healthy", verdict)
        .put("renew", passed);
    return vertx.eventBus().request(Addresses.PROBE_RESULT, report, options)
        .onFailure(e -> LOG.debug("Probe result for {} not applied: {}", probe.instance.instanceId(), e.getMessage()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private static String id(ServiceInstance instance) {
    return instance.key() + "@@" + instance.instanceId();
  }
}
