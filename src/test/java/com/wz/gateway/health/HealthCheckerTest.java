package com.wz.gateway.health;

import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.wz.gateway.health.HealthChecker.Kind.LIVENESS;
import static com.wz.gateway.health.HealthChecker.Kind.READINESS;
import static com.wz.gateway.support.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxGuard.class)
@DisplayName("Health checks")
class HealthCheckerTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private JsonObject check(JsonObject report, String id) {
    return report.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals(id)).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("a check that hangs is DOWN (timeout) after its own timeout, without holding the others or the loop")
  void hangingCheck() {
    HealthChecker checker = new HealthChecker(vertx, Clock.systemUTC());
    AtomicInteger ticks = new AtomicInteger();
    vertx.setPeriodic(20, id -> ticks.incrementAndGet());
    long started = System.nanoTime();
    JsonObject report = await(vertx.getOrCreateContext().<JsonObject>executeBlocking(() -> null)
        .compose(v -> {
          checker.register("hangs", EnumSet.of(READINESS), 300, promise -> { });
          checker.register("fine", EnumSet.of(LIVENESS), 300, promise -> promise.complete(Status.OK()));
          return checker.run(List.of()).map(changed -> checker.report(null));
        }));
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(check(report, "hangs").getString("status")).isEqualTo("DOWN");
    assertThat(check(report, "hangs").getJsonObject("data").getString("reason")).isEqualTo("timeout");
    assertThat(check(report, "fine").getString("status")).isEqualTo("UP");
    assertThat(tookMillis).isBetween(290L, 1300L);
    assertThat(ticks.get()).isGreaterThan(5);
    assertThat(checker.report(LIVENESS).getString("status")).isEqualTo("UP");
    assertThat(checker.report(READINESS).getString("status")).isEqualTo("DOWN");
  }

  @Test
  @DisplayName("a check that throws is DOWN with the reason")
  void throwingCheck() {
    HealthChecker checker = new HealthChecker(vertx, Clock.systemUTC());
    checker.register("throws", EnumSet.of(READINESS), 300, promise -> {
      throw new IllegalStateException("disk on fire");
    });
    await(checker.run(List.of()));
    JsonObject result = check(checker.report(null), "throws");
    assertThat(result.getString("status")).isEqualTo("DOWN");
    assertThat(result.getJsonObject("data").encode()).contains("disk on fire");
  }

  @Test
  @DisplayName("a check can be deregistered; a check never run reports DOWN 'not checked yet'")
  void registerAndDeregister() {
    HealthChecker checker = new HealthChecker(vertx, Clock.systemUTC());
    checker.register("a", EnumSet.of(READINESS, LIVENESS), 100, p -> p.complete(Status.OK()));
    assertThat(check(checker.report(null), "a").getJsonObject("data").getString("reason")).isEqualTo("not checked yet");
    checker.deregister("a");
    assertThat(checker.report(null).getJsonArray("checks")).isEmpty();
    assertThat(checker.ids()).isEmpty();
  }

  @Test
  @DisplayName("the lag monitor sees a blocked event loop while it is blocked")
  void lagMonitorSeesABlockedLoop() throws Exception {
    Vertx other = Vertx.vertx(new io.vertx.core.VertxOptions().setBlockedThreadCheckInterval(60_000));
    try {
      LagMonitor monitor = new LagMonitor();
      await(other.getOrCreateContext().<Long>executeBlocking(() -> 0L));
      io.vertx.core.Context loop = other.getOrCreateContext();
      loop.runOnContext(v -> monitor.watch(other, "blocked"));
      Thread.sleep(250);
      monitor.drain();
      loop.runOnContext(v -> sleep(800));
      Thread.sleep(600);
      Map<String, Long> lag = monitor.drain();
      assertThat(lag.get("blocked")).isGreaterThan(300L);
    } finally {
      await(other.close());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @DisplayName("in the gateway: a registry that hangs makes readiness DOWN within the check timeout; liveness answers")
  void hangingRegistry(@TempDir Path dataDir) {
    try (TestGateway gateway = TestGateway.start(dataDir)) {
      gateway.undeployRegistry();
      await(gateway.vertx.eventBus().consumer("registry.ping", message -> { }).completion());
      long started = System.nanoTime();
      HttpResponse<Buffer> checked = gateway.post("/api/v1/registry/health/check",
          new JsonObject().put("checks", new io.vertx.core.json.JsonArray().add("registry")));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertThat(tookMillis).isLessThan(500 + 1500);
      assertThat(check(checked.bodyAsJsonObject(), "registry").getString("status")).isEqualTo("DOWN");
      assertThat(gateway.get("/health/ready").statusCode()).isEqualTo(503);
      long live = System.nanoTime();
      assertThat(gateway.get("/health/live").statusCode()).isEqualTo(200);
      assertThat((System.nanoTime() - live) / 1_000_000).isLessThan(500);
    }
  }
}
