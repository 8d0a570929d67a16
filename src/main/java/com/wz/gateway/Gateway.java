package com.wz.gateway;

import com.wz.gateway.bus.Addresses;
import com.wz.gateway.config.GatewayConfig;
import com.wz.gateway.config.RegistryConfig;
import com.wz.gateway.health.LagMonitor;
import com.wz.gateway.health.SchedulerVerticle;
import com.wz.gateway.http.ApiVerticle;
import com.wz.gateway.instance.SelfRegistration;
import com.wz.gateway.registry.InstanceCache;
import com.wz.gateway.registry.RegistryVerticle;
import com.wz.gateway.registry.ServiceRegistry;
import com.wz.gateway.registry.embedded.EmbeddedRegistry;
import com.wz.gateway.registry.embedded.InstanceStore;
import com.alibaba.nacos.api.exception.NacosException;
import com.wz.gateway.config.NacosConfig;
import com.wz.gateway.registry.nacos.ClientNacosNaming;
import com.wz.gateway.registry.nacos.NacosNaming;
import com.wz.gateway.registry.nacos.NacosRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A running gateway in a {@link Vertx}: the registry worker, the scheduler, the read cache, then
 * the HTTP verticles, deployed in that order so that the API never answers before the registry can.
 * {@link #stop()} is the graceful shutdown sequence.
 */
public final class Gateway {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final GatewayConfig config;
  private final SelfRegistration self;
  private String registryDeployment;
  private String schedulerDeployment;
  private String cacheDeployment;
  private String apiDeployment;

  private Gateway(Vertx vertx, GatewayConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.self = config.self().enabled()
        ? new SelfRegistration(vertx, config.self(), config.http().port(), config.registry().group(),
            config.registry().requestTimeoutMillis())
        : null;
  }

  /** Deploys a gateway; {@code clock} drives leases and timestamps (tests pass a clock they move). */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Clock clock) {
    return start(vertx, config, clock, Gateway::connect);
  }

  /** As {@link #start(Vertx, GatewayConfig, Clock)}, reaching Nacos through {@code nacos} (when that is the backend). */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Clock clock,
                                      Function<NacosConfig, NacosNaming> nacos) {
    Gateway gateway = new Gateway(vertx, config);
    RegistryConfig registry = config.registry();
    long keepAliveMillis = config.self().heartbeatIntervalMillis() > 0 ? config.self().heartbeatIntervalMillis()
        : registry.lease().heartbeatIntervalSeconds() * 1000L;
    InstanceCache cache = new InstanceCache(registry.requestTimeoutMillis());
    LagMonitor lag = new LagMonitor();
    return gateway.deploy(() -> new RegistryVerticle(registry.backend(), backend(config, clock, nacos), registry.group()),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setWorkerPoolName("registry")
                .setWorkerPoolSize(1))
        .onSuccess(id -> gateway.registryDeployment = id)
        .compose(v -> gateway.deploy(() -> new SchedulerVerticle(config.health(), registry.lease(), keepAliveMillis,
            registry.group(), lag, RegistryConfig.EMBEDDED.equals(registry.backend()) ? config.dataDir() : null, clock),
            new DeploymentOptions()))
        .onSuccess(id -> gateway.schedulerDeployment = id)
        .compose(v -> gateway.deploy(() -> cache, new DeploymentOptions()))
        .onSuccess(id -> gateway.cacheDeployment = id)
        .compose(v -> gateway.self == null ? Future.succeededFuture() : gateway.self.register())
        .compose(v -> gateway.deploy(() -> new ApiVerticle(config.http(), cache, lag, registry.group(),
                registry.requestTimeoutMillis(), config.shutdownGracePeriodMillis()),
            new DeploymentOptions().setInstances(config.http().effectiveInstances())))
        .onSuccess(id -> gateway.apiDeployment = id)
        .compose(v -> gateway.self == null ? Future.succeededFuture() : gateway.self.up())
        .map(gateway)
        .recover(error -> gateway.stop().transform(ar -> Future.failedFuture(error)));
  }

  public GatewayConfig config() {
    return config;
  }

  /** The deployment of the registry worker. */
  public String registryDeploymentId() {
    return registryDeployment;
  }

  /**
   * The graceful shutdown sequence: readiness DOWN and the gateway's own instance OUT_OF_SERVICE;
   * the HTTP server stops accepting connections and in-flight requests finish (up to the grace
   * period); the gateway deregisters itself; heartbeats and checks stop; the registry closes.
   * Every step runs even when an earlier one failed.
   */
  public Future<Void> stop() {
    return draining()
        .eventually(() -> undeploy(apiDeployment))
        .eventually(() -> self == null || registryDeployment == null ? Future.succeededFuture() : self.deregister())
        .eventually(() -> undeploy(schedulerDeployment))
        .eventually(() -> undeploy(cacheDeployment))
        .eventually(() -> undeploy(registryDeployment))
        .onComplete(ar -> {
          apiDeployment = schedulerDeployment = cacheDeployment = registryDeployment = null;
        })
        .mapEmpty();
  }

  private Future<Void> draining() {
    if (schedulerDeployment == null) {
      return Future.succeededFuture();
    }
    DeliveryOptions options = Addresses.local(config.registry().requestTimeoutMillis());
    Future<?> readiness = vertx.eventBus().request(Addresses.DRAINING, new JsonObject(), options);
    Future<Void> status = self == null || registryDeployment == null ? Future.succeededFuture() : self.outOfService();
    return Future.join(readiness, status)
        .onFailure(e -> LOG.warn("Shutdown: could not mark the gateway as going down: {}", e.getMessage()))
        .mapEmpty();
  }

  private Future<Void> undeploy(String deployment) {
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }

  private Future<String> deploy(Supplier<Deployable> verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options);
  }

  /** The backend, created on the registry worker when it starts (both may block). */
  private static Supplier<ServiceRegistry> backend(GatewayConfig config, Clock clock,
                                                   Function<NacosConfig, NacosNaming> nacos) {
    RegistryConfig registry = config.registry();
    return switch (registry.backend()) {
      case RegistryConfig.NACOS -> () -> new NacosRegistry(nacos.apply(registry.nacos()), registry.nacos(),
          registry.lease(), clock);
      default -> () -> new EmbeddedRegistry(clock, registry.lease(), new InstanceStore(config.dataDir()));
    };
  }

  private static NacosNaming connect(NacosConfig config) {
    try {
      return ClientNacosNaming.connect(config);
    } catch (NacosException e) {
      throw new IllegalStateException("cannot create the Nacos client for " + config.servers() + ": "
          + e.getErrMsg(), e);
    }
  }
}
