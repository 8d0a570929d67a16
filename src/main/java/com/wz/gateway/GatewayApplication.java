package com.wz.gateway;

import com.wz.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar registry-gateway.jar}: reads the configuration, starts the gateway, and on
 * SIGTERM or SIGINT shuts it down gracefully (in-flight requests finish) and exits 0.
 */
public final class GatewayApplication {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayApplication.class);

  private GatewayApplication() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx(new VertxOptions());
    GatewayConfig config;
    Gateway gateway;
    try {
      config = GatewayConfig.load(vertx, System.getenv()).await(30, TimeUnit.SECONDS);
      if (config.cluster().enabled()) {
        vertx.close().await(30, TimeUnit.SECONDS);
        vertx = ClusterSupport.clustered(new VertxOptions(), config.cluster()).await(120, TimeUnit.SECONDS);
      }
      gateway = Gateway.start(vertx, config, Clock.systemUTC()).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("The gateway could not start: {}", e.getMessage(), e);
      vertx.close();
      System.exit(1);
      return;
    }
    LOG.info("registry-gateway listening on http://{}:{} with the {} registry{}", config.http().host(),
        config.http().port(), config.registry().backend(),
        config.cluster().enabled() ? ", clustered as " + config.cluster().name() : "");
    Vertx running = vertx;
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable onSignal = () -> shutdown(running, gateway, stopping);
    Signal.handle(new Signal("TERM"), signal -> onSignal.run());
    Signal.handle(new Signal("INT"), signal -> onSignal.run());
  }

  private static void shutdown(Vertx vertx, Gateway gateway, AtomicBoolean stopping) {
    if (!stopping.compareAndSet(false, true)) {
      LOG.warn("Second stop signal: exiting now");
      Runtime.getRuntime().halt(0);
    }
    LOG.info("Stopping: finishing in-flight requests (up to {} ms)", gateway.config().shutdownGracePeriodMillis());
    long deadline = gateway.config().shutdownGracePeriodMillis() + 5000;
    try {
      gateway.stop().eventually(vertx::close).await(deadline, TimeUnit.MILLISECONDS);
      LOG.info("Stopped");
    } catch (Exception e) {
      LOG.warn("Shutdown did not finish cleanly: {}", e.getMessage());
    }
    System.exit(0);
  }
}
