package com.wz.gateway.support;

import com.wz.gateway.Gateway;
import com.wz.gateway.bus.Addresses;
import com.wz.gateway.config.GatewayConfig;
import com.wz.gateway.config.NacosConfig;
import com.wz.gateway.registry.nacos.FakeNacosNaming;
import com.wz.gateway.registry.nacos.NacosNaming;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A real gateway for tests: its own Vert.x with a tight blocked-thread checker, a real HTTP server
 * on a free loopback port, a temporary data dir and a clock the test moves. Calls block the test
 * thread (never a Vert.x thread) until the answer is there.
 */
public final class TestGateway implements AutoCloseable {

  public static final String BASE = "/api/v1/registry";
  private static final long WAIT_SECONDS = 20;

  public final Vertx vertx;
  public final MutableClock clock;
  public final Path dataDir;
  private final WebClient client;
  private final GatewayConfig config;
  private final Function<NacosConfig, NacosNaming> nacos;
  private Gateway gateway;

  private TestGateway(Path dataDir, MutableClock clock, GatewayConfig config, Function<NacosConfig, NacosNaming> nacos) {
    this.nacos = nacos;
    this.vertx = Vertx.vertx(new VertxOptions()
        .setBlockedThreadCheckInterval(100)
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(500)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setMaxWorkerExecuteTime(1)
        .setMaxWorkerExecuteTimeUnit(TimeUnit.SECONDS)
        .setWarningExceptionTime(500)
        .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
    this.clock = clock;
    this.dataDir = dataDir;
    this.config = config;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(config.http().port()));
  }

  /** Starts a gateway with test settings, {@code overrides} applied on top of the shipped defaults. */
  public static TestGateway start(Path dataDir, UnaryOperator<JsonObject> overrides) {
    return start(dataDir, MutableClock.startingNow(), overrides);
  }

  public static TestGateway start(Path dataDir) {
    return start(dataDir, c -> c);
  }

  /** The registry backends a behaviour test can run against. */
  public enum Backend {
    EMBEDDED,
    /** The Nacos backend on an in-memory Nacos ({@link FakeNacosNaming}). */
    NACOS_FAKE,
    /** The Nacos backend on the real server at {@code NACOS_SERVER_ADDR}. */
    NACOS
  }

  /** Starts a gateway on {@code backend}; {@code nacos} is the fake used for {@link Backend#NACOS_FAKE}. */
  public static TestGateway start(Path dataDir, Backend backend, FakeNacosNaming nacos) {
    return switch (backend) {
      case EMBEDDED -> start(dataDir);
      case NACOS_FAKE -> start(dataDir, MutableClock.startingNow(), TestGateway::onNacos, config -> nacos);
      case NACOS -> start(dataDir, MutableClock.startingNow(), c -> {
        onNacos(c).getJsonObject("registry").getJsonObject("nacos")
            .put("serverAddr", System.getenv("NACOS_SERVER_ADDR"))
            .put("cacheDir", dataDir.resolve("nacos-cache").toString())
            .put("logDir", dataDir.resolve("nacos-logs").toString());
        return c;
      }, null);
    };
  }

  /** A gateway on the in-memory Nacos {@code nacos}, with {@code overrides} applied last. */
  public static TestGateway startOnFakeNacos(Path dataDir, FakeNacosNaming nacos, UnaryOperator<JsonObject> overrides) {
    return start(dataDir, MutableClock.startingNow(), c -> overrides.apply(onNacos(c)), config -> nacos);
  }

  private static JsonObject onNacos(JsonObject settings) {
    JsonObject registry = settings.getJsonObject("registry");
    return settings.put("registry", registry.put("backend", "nacos")
        .put("nacos", new JsonObject().put("probeIntervalMillis", 50).put("emptyPushConfirmMillis", 500)));
  }

  public static TestGateway start(Path dataDir, MutableClock clock, UnaryOperator<JsonObject> overrides) {
    return start(dataDir, clock, overrides, null);
  }

  /** The configuration a test gateway runs with: the shipped defaults, test settings, then {@code overrides}. */
  public static GatewayConfig config(Path dataDir, UnaryOperator<JsonObject> overrides) {
    JsonObject settings = overrides.apply(new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", freePort()).put("instances", 2))
        .put("data", new JsonObject().put("dir", dataDir.toString()))
        .put("registry", new JsonObject().put("lease", new JsonObject().put("sweepIntervalMillis", 3_600_000)))
        .put("health", new JsonObject().put("intervalMillis", 200).put("checkTimeoutMillis", 500))
        .put("shutdown", new JsonObject().put("gracePeriodMillis", 2000)));
    Vertx loader = Vertx.vertx();
    try {
      return GatewayConfig.from(merge(await(GatewayConfig.loadTree(loader, Map.of())), settings));
    } finally {
      loader.close();
    }
  }

  private static TestGateway start(Path dataDir, MutableClock clock, UnaryOperator<JsonObject> overrides,
                                   Function<NacosConfig, NacosNaming> nacos) {
    GatewayConfig config = config(dataDir, overrides);
    TestGateway test = new TestGateway(dataDir, clock, config, nacos);
    try {
      test.startGateway();
    } catch (RuntimeException | AssertionError e) {
      test.close();
      throw e;
    }
    return test;
  }

  /** Stops the gateway (not its Vert.x) and starts it again on the same port and data dir. */
  public void restart() {
    await(gateway.stop());
    startGateway();
  }

  /**
   * Moves the clock on by {@code duration} in steps of at most a second, running a lease sweep after
   * each step, as the scheduler would (its own sweeps are off in tests unless a test turns them on).
   */
  public void advance(Duration duration) {
    Duration left = duration;
    while (!left.isZero()) {
      Duration step = left.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : left;
      clock.advance(step);
      sweep();
      left = left.minus(step);
    }
  }

  /** Retries {@code assertion} for up to five seconds, for what the gateway does on its own timers. */
  public void eventually(Runnable assertion) {
    long deadline = System.currentTimeMillis() + 5000;
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** A service's instances as the registry itself holds them (over the event bus, not through the read cache). */
  public java.util.List<JsonObject> registryInstances(String service) {
    JsonObject reply = (JsonObject) await(vertx.eventBus().request(Addresses.INSTANCES,
        new JsonObject().put("service", service))).body();
    return reply.getJsonArray("instances").stream().map(JsonObject.class::cast).toList();
  }

  /** Runs one lease sweep now and waits for it. */
  public void sweep() {
    await(vertx.eventBus().request(Addresses.EXPIRE_LEASES, new JsonObject()));
  }

  /** Takes the registry worker away, as if the registry stopped answering. */
  public void undeployRegistry() {
    await(vertx.undeploy(gateway.registryDeploymentId()));
  }

  public void stopGateway() {
    await(gateway.stop());
  }

  private void startGateway() {
    gateway = await(nacos == null ? Gateway.start(vertx, config, clock) : Gateway.start(vertx, config, clock, nacos));
  }

  public GatewayConfig config() {
    return config;
  }

  public int port() {
    return config.http().port();
  }

  public HttpResponse<Buffer> get(String path) {
    return send(HttpMethod.GET, path, null, null);
  }

  public HttpResponse<Buffer> delete(String path) {
    return send(HttpMethod.DELETE, path, null, null);
  }

  public HttpResponse<Buffer> post(String path, JsonObject body) {
    return send(HttpMethod.POST, path, "application/json", body == null ? null : body.toBuffer());
  }

  public HttpResponse<Buffer> put(String path, JsonObject body) {
    return send(HttpMethod.PUT, path, "application/json", body == null ? null : body.toBuffer());
  }

  public HttpResponse<Buffer> patch(String path, JsonObject body) {
    return send(HttpMethod.PATCH, path, "application/json", body == null ? null : body.toBuffer());
  }

  public HttpResponse<Buffer> send(HttpMethod method, String path, String contentType, Buffer body,
                                   String... headers) {
    var request = client.request(method, path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return await(body == null ? request.send() : request.sendBuffer(body));
  }

  /** {@code POST /services/{service}/instances} with {@code body}; the instance it answers. */
  public JsonObject register(String service, JsonObject body) {
    HttpResponse<Buffer> response = post(BASE + "/services/" + service + "/instances", body);
    if (response.statusCode() != 201 && response.statusCode() != 200) {
      throw new AssertionError("register gave " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** The instances {@code GET /services/{service}/instances?query} answers. */
  public JsonObject instances(String service, String query) {
    HttpResponse<Buffer> response = get(BASE + "/services/" + service + "/instances" + (query.isEmpty() ? "" : "?" + query));
    if (response.statusCode() != 200) {
      throw new AssertionError("list gave " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** The instance ids of an instance list, in order. */
  public static java.util.List<String> ids(JsonObject list) {
    return list.getJsonArray("instances").stream().map(o -> ((JsonObject) o).getString("instanceId")).toList();
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("did not complete: " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      if (gateway != null) {
        await(gateway.stop());
      }
    } finally {
      client.close();
      await(vertx.close());
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject merge(JsonObject base, JsonObject over) {
    JsonObject result = base.copy();
    over.forEach(e -> {
      if (e.getValue() instanceof JsonObject child && result.getValue(e.getKey()) instanceof JsonObject mine) {
        result.put(e.getKey(), merge(mine, child));
      } else {
        result.put(e.getKey(), e.getValue());
      }
    });
    return result;
  }
}
