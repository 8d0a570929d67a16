package com.wz.gateway;

import com.wz.gateway.config.GatewayConfig;
import com.wz.gateway.config.RegistryConfig;
import com.wz.gateway.health.SchedulerVerticle;
import com.wz.gateway.http.ApiVerticle;
import com.wz.gateway.registry.InstanceCache;
import com.wz.gateway.registry.RegistryVerticle;
import com.wz.gateway.registry.ServiceRegistry;
import com.wz.gateway.registry.embedded.EmbeddedRegistry;
import com.wz.gateway.registry.embedded.InstanceStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * A running gateway in a {@link Vertx}: the registry worker, the scheduler, the read cache, then
 * the HTTP verticles, deployed in that order so that the API never answers before the registry can.
 */
public final class Gateway {

  private final Vertx vertx;
  private final GatewayConfig config;
  private final List<String> deployments = new ArrayList<>();

  private Gateway(Vertx vertx, GatewayConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Deploys a gateway; {@code clock} drives leases and timestamps (tests pass a clock they move). */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Clock clock) {
    Gateway gateway = new Gateway(vertx, config);
    RegistryConfig registry = config.registry();
    RegistryVerticle registryVerticle = new RegistryVerticle(registry.backend(), backend(config, clock),
        registry.group());
    InstanceCache cache = new InstanceCache(registry.requestTimeoutMillis());
    return gateway.deploy(() -> registryVerticle,
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setWorkerPoolName("registry")
                .setWorkerPoolSize(1))
        .compose(v -> gateway.deploy(() -> new SchedulerVerticle(config.health(), registry.lease(), clock),
            new DeploymentOptions()))
        .compose(v -> gateway.deploy(() -> cache, new DeploymentOptions()))
        .compose(v -> gateway.deploy(() -> new ApiVerticle(config.http(), cache, registry.group(),
                registry.requestTimeoutMillis(), config.shutdownGracePeriodMillis()),
            new DeploymentOptions().setInstances(config.http().effectiveInstances())))
        .map(gateway)
        .recover(error -> gateway.stop().transform(ar -> Future.failedFuture(error)));
  }

  public GatewayConfig config() {
    return config;
  }

  /** The deployment of the registry worker (the first one). */
  public String registryDeploymentId() {
    return deployments.get(0);
  }

  /**
   * Stops in reverse order: the HTTP verticles first (they stop accepting connections and let
   * in-flight requests finish within the grace period), then the scheduler, then the registry.
   */
  public Future<Void> stop() {
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    deployments.clear();
    Future<Void> chain = Future.succeededFuture();
    for (String id : reversed) {
      chain = chain.eventually(() -> vertx.undeploy(id));
    }
    return chain;
  }

  private Future<Void> deploy(Supplier<io.vertx.core.Deployable> verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options).onSuccess(deployments::add).mapEmpty();
  }

  private static Supplier<ServiceRegistry> backend(GatewayConfig config, Clock clock) {
    return switch (config.registry().backend()) {
      case RegistryConfig.EMBEDDED -> () -> new EmbeddedRegistry(clock, config.registry().lease(),
          new InstanceStore(config.dataDir()));
      default -> throw new IllegalArgumentException("registry backend '" + config.registry().backend()
          + "' is not available in this build");
    };
  }
}
