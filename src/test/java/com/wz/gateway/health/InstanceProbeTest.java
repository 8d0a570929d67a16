package com.wz.gateway.health;

import com.wz.gateway.bus.Addresses;
import com.wz.gateway.registry.RegistryEvent;
import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static com.wz.gateway.support.TestGateway.BASE;
import static com.wz.gateway.support.TestGateway.await;
import static com.wz.gateway.support.TestGateway.freePort;
import static com.wz.gateway.support.TestGateway.ids;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxGuard.class)
@DisplayName("Active instance probes against real HTTP and TCP servers")
class InstanceProbeTest {

  @TempDir
  Path dataDir;
  private TestGateway gateway;
  private final AtomicInteger status = new AtomicInteger(200);
  private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();
  private int port;

  /** Probes run only when the test asks (POST /health/check), so each step is one probe. */
  @BeforeEach
  void start() {
    gateway = TestGateway.start(dataDir, c -> c.put("health", c.getJsonObject("health")
        .put("probe", new JsonObject().put("tickMillis", 3_600_000))));
    await(gateway.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS,
        m -> events.add(RegistryEvent.fromJson(m.body()))).completion());
    port = freePort();
    await(gateway.vertx.createHttpServer()
        .requestHandler(request -> request.response().setStatusCode(status.get()).end())
        .listen(port, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private void registerProbed(String type) {
    gateway.register("web", new JsonObject().put("ip", "127.0.0.1").put("port", port).put("ephemeral", false)
        .put("healthCheck", new JsonObject().put("type", type).put("path", "/health").put("intervalSeconds", 1)
            .put("timeoutSeconds", 1)));
  }

  /** A TCP server on {@code port}, retried briefly while the port is still being released. */
  private NetServer listenTcp() {
    for (int attempt = 0; ; attempt++) {
      try {
        return await(gateway.vertx.createNetServer().connectHandler(socket -> socket.close()).listen(port, "127.0.0.1"));
      } catch (AssertionError e) {
        if (attempt == 20) {
          throw e;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** One probe of every instance of the service, now; the instance's probe state. */
  private JsonObject probe() {
    JsonObject report = gateway.post(BASE + "/health/check", new JsonObject().put("service", "web")).bodyAsJsonObject();
    return report.getJsonArray("probes").getJsonObject(0);
  }

  private boolean inHealthyList() {
    return !gateway.instances("web", "healthy=true").getJsonArray("instances").isEmpty();
  }

  @Test
  @DisplayName("HTTP: unhealthy after 3 failures in a row, healthy again after 2 passes, with the changes on the bus")
  void httpFallsAndRises() {
    registerProbed("http");
    assertThat(probe().getBoolean("healthy")).isTrue();

    status.set(500);
    assertThat(probe().getBoolean("healthy")).isTrue();
    assertThat(probe().getBoolean("healthy")).isTrue();
    assertThat(inHealthyList()).isTrue();
    JsonObject third = probe();
    assertThat(third.getBoolean("healthy")).isFalse();
    assertThat(third.getString("lastResult")).isEqualTo("HTTP 500");
    gateway.eventually(() -> assertThat(inHealthyList()).isFalse());

    status.set(204);
    assertThat(probe().getBoolean("healthy")).isFalse();
    assertThat(probe().getBoolean("healthy")).isTrue();
    gateway.eventually(() -> assertThat(inHealthyList()).isTrue());

    gateway.eventually(() -> assertThat(events).filteredOn(e -> e.reason().startsWith("probe"))
        .extracting(RegistryEvent::reason).containsExactly("probe-failed", "probe-passed"));
  }

  @Test
  @DisplayName("a single failed probe between passes changes nothing")
  void noFlapping() {
    registerProbed("http");
    for (int i = 0; i < 4; i++) {
      status.set(i % 2 == 0 ? 503 : 200);
      assertThat(probe().getBoolean("healthy")).isTrue();
      status.set(503);
      assertThat(probe().getBoolean("healthy")).isTrue();
      status.set(200);
      assertThat(probe().getBoolean("healthy")).isTrue();
    }
    assertThat(events).noneMatch(e -> e.reason().startsWith("probe"));
  }

  @Test
  @DisplayName("TCP: a closed port fails, the port listening again passes")
  void tcpFallsAndRises() {
    port = freePort();
    NetServer tcp = listenTcp();
    registerProbed("tcp");
    assertThat(probe().getString("lastResult")).isEqualTo("tcp connect ok");

    await(tcp.close());
    probe();
    probe();
    assertThat(probe().getBoolean("healthy")).isFalse();
    gateway.eventually(() -> assertThat(inHealthyList()).isFalse());

    listenTcp();
    probe();
    assertThat(probe().getBoolean("healthy")).isTrue();
    gateway.eventually(() -> assertThat(ids(gateway.instances("web", "healthy=true"))).hasSize(1));
  }

  @Test
  @DisplayName("on its timer, passing probes keep an ephemeral instance alive without heartbeats")
  void probesRenewTheLease(@TempDir Path otherDir) {
    try (TestGateway timed = TestGateway.start(otherDir, c -> c.put("health", c.getJsonObject("health")
        .put("probe", new JsonObject().put("tickMillis", 50))))) {
      timed.register("web", new JsonObject().put("ip", "127.0.0.1").put("port", port)
          .put("healthCheck", new JsonObject().put("type", "http").put("intervalSeconds", 1)));
      timed.sweep();
      timed.advance(Duration.ofSeconds(10));
      timed.eventually(() -> assertThat(timed.registryInstances("web").get(0).getString("lastHeartbeatAt"))
          .isEqualTo("2026-11-23T21:00:10Z"));
      timed.advance(Duration.ofSeconds(10));
      assertThat(timed.registryInstances("web")).singleElement()
          .satisfies(i -> assertThat(i.getBoolean("healthy")).isTrue());
    }
  }

  @Test
  @DisplayName("health/status and health/check with a service report the probes")
  void reported() {
    registerProbed("http");
    JsonObject report = gateway.post(BASE + "/health/check", new JsonObject().put("service", "web")).bodyAsJsonObject();
    assertThat(report.getString("service")).isEqualTo("web");
    assertThat(report.getJsonArray("probes")).hasSize(1);
    assertThat(report.getJsonObject("instances").getInteger("total")).isEqualTo(1);
    assertThat(gateway.post(BASE + "/health/check", new JsonObject().put("service", "no such!")).statusCode())
        .isEqualTo(400);
    assertThat(gateway.post(BASE + "/health/check", new JsonObject().put("service", "nobody")).bodyAsJsonObject()
        .getJsonArray("probes")).isEqualTo(new JsonArray());
  }
}
