package com.wz.gateway.http;

import com.wz.gateway.bus.RegistryClient;
import com.wz.gateway.config.HttpConfig;
import com.wz.gateway.health.LagMonitor;
import com.wz.gateway.registry.InstanceCache;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.TimeUnit;

/**
 * Serves the HTTP API on an event loop (one instance per core). It holds no registry state: reads
 * come from the shared {@link InstanceCache}, everything else is a request over the event bus.
 */
public final class ApiVerticle extends VerticleBase {

  public static final String BASE_PATH = "/api/v1/registry";
  private static final String OPENAPI_RESOURCE = "registry-gateway/openapi.yaml";

  private final HttpConfig http;
  private final String defaultGroup;
  private final long requestTimeoutMillis;
  private final long gracePeriodMillis;
  private final InstanceCache cache;
  private final LagMonitor lag;
  private HttpServer server;
  private ChangeFeed feed;
  private String loop;

  public ApiVerticle(HttpConfig http, InstanceCache cache, LagMonitor lag, String defaultGroup,
                     long requestTimeoutMillis, long gracePeriodMillis) {
    this.http = http;
    this.cache = cache;
    this.lag = lag;
    this.defaultGroup = defaultGroup;
    this.requestTimeoutMillis = requestTimeoutMillis;
    this.gracePeriodMillis = gracePeriodMillis;
  }

  @Override
  public Future<?> start() {
    loop = "http@" + Thread.currentThread().getName();
    lag.watch(vertx, loop);
    RegistryClient registry = RegistryClient.local(vertx, requestTimeoutMillis);
    feed = new ChangeFeed(http.feedHistory());
    return feed.start(vertx, registry)
        .compose(v -> vertx.fileSystem().readFile(OPENAPI_RESOURCE))
        .compose(openApi -> vertx.createHttpServer(new HttpServerOptions().setHost(http.host()).setPort(http.port()))
            .requestHandler(router(registry, openApi))
            .listen())
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    lag.unwatch(loop);
    Future<Void> streams = feed == null ? Future.succeededFuture() : feed.stop();
    return streams.eventually(() -> server == null ? Future.succeededFuture()
        : server.shutdown(gracePeriodMillis, TimeUnit.MILLISECONDS));
  }

  private Router router(RegistryClient registry, Buffer openApi) {
    AllowedMethods methods = new AllowedMethods();
    Problems problems = new Problems(http.bodyLimitBytes(), methods);
    HealthRoutes health = new HealthRoutes(vertx, defaultGroup, requestTimeoutMillis);

    BodyHandler body = BodyHandler.create(false).setBodyLimit(http.bodyLimitBytes());
    Router api = Router.router(vertx);
    new ServiceRoutes(registry, defaultGroup).registerRoutes(api);
    new InstanceRoutes(registry, cache, defaultGroup, BASE_PATH).registerRoutes(api, body);
    health.registerRoutes(api, body);
    new FeedRoutes(vertx, feed, cache, registry, defaultGroup, http.feedHeartbeatMillis()).registerRoutes(api);
    AllowedMethods.read(api, "/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(openApi));
    api.route().failureHandler(problems);

    Router root = Router.router(vertx);
    root.route().handler(ctx -> {
      if (ctx.request().method() == HttpMethod.OPTIONS) {
        methods.options(ctx);
      } else {
        ctx.next();
      }
    });
    health.registerProbes(root);
    root.route(BASE_PATH + "/*").subRouter(api);
    root.route().failureHandler(problems);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      root.errorHandler(status, problems.forStatus(status));
    }
    methods.add("", root).add(BASE_PATH, api);
    return root;
  }
}
