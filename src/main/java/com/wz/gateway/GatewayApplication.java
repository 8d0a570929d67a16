package com.wz.gateway;

import com.wz.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar registry-gateway.jar}: reads the configuration, starts the gateway, and on
 * SIGTERM or SIGINT shuts it down gracefully (in-flight requests finish) and exits 0. A signal
 * during start-up stops the gateway as soon as it has started; a second signal exits at once.
 */
public final class GatewayApplication {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayApplication.class);

  private Vertx vertx;
  private Gateway gateway;
  private boolean stopRequested;

  private GatewayApplication() {
  }

  public static void main(String[] args) {
    GatewayApplication application = new GatewayApplication();
    Signal.handle(new Signal("TERM"), signal -> application.onSignal());
    Signal.handle(new Signal("INT"), signal -> application.onSignal());
    application.start();
  }

  private void start() {
    Gateway started;
    GatewayConfig config;
    try {
      Vertx plain = vertx(Vertx.vertx(new VertxOptions()));
      config = GatewayConfig.load(plain, System.getenv()).await(30, TimeUnit.SECONDS);
      if (config.cluster().enabled()) {
        plain.close().await(30, TimeUnit.SECONDS);
        vertx(ClusterSupport.clustered(new VertxOptions(), config.cluster()).await(120, TimeUnit.SECONDS));
      }
      started = Gateway.start(current(), config, Clock.systemUTC()).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      boolean stopping = stopRequested();
      if (!stopping) {
        LOG.error("The gateway could not start: {}", e.getMessage(), e);
      }
      closeQuietly(current());
      System.exit(stopping ? 0 : 1);
      return;
    }
    LOG.info("registry-gateway listening on http://{}:{} with the {} registry{}", config.http().host(),
        config.http().port(), config.registry().backend(),
        config.cluster().enabled() ? ", clustered as " + config.cluster().name() : "");
    boolean stopNow;
    synchronized (this) {
      gateway = started;
      stopNow = stopRequested;
    }
    if (stopNow) {
      LOG.info("A stop signal came during start-up: stopping now");
      stop(started);
    }
  }

  /** The first signal stops the gateway (or asks start-up to, once it is done); a second one exits at once. */
  private void onSignal() {
    Gateway running;
    synchronized (this) {
      if (stopRequested) {
        LOG.warn("Second stop signal: exiting now");
        Runtime.getRuntime().halt(0);
      }
      stopRequested = true;
      running = gateway;
    }
    if (running == null) {
      LOG.info("Stop signal during start-up: stopping once started");
      return;
    }
    stop(running);
  }

  /** The graceful shutdown; exits 0 when it is done or its deadline has passed. */
  private void stop(Gateway running) {
    LOG.info("Stopping: finishing in-flight requests (up to {} ms)", running.config().shutdownGracePeriodMillis());
    long deadline = running.config().shutdownGracePeriodMillis() + 5000;
    try {
      running.stop().eventually(() -> current().close()).await(deadline, TimeUnit.MILLISECONDS);
      LOG.info("Stopped");
    } catch (Exception e) {
      LOG.warn("Shutdown did not finish cleanly: {}", e.getMessage());
    }
    System.exit(0);
  }

  private synchronized Vertx vertx(Vertx next) {
    vertx = next;
    return next;
  }

  private synchronized Vertx current() {
    return vertx;
  }

  private synchronized boolean stopRequested() {
    return stopRequested;
  }

  private static void closeQuietly(Vertx vertx) {
    if (vertx == null) {
      return;
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("Closing Vert.x after a failed start: {}", e.getMessage());
    }
  }
}
