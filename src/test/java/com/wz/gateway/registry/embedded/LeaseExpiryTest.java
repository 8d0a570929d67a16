package com.wz.gateway.registry.embedded;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;

import static com.wz.gateway.support.TestGateway.BASE;
import static com.wz.gateway.support.TestGateway.ids;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxGuard.class)
@DisplayName("Ephemeral leases: unhealthy after 15 s without a heartbeat, removed after 30 s")
class LeaseExpiryTest {

  private static final String PAY = BASE + "/services/pay/instances";

  @TempDir
  Path dataDir;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    gateway = TestGateway.start(dataDir);
    gateway.sweep();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private void register(JsonObject extra) {
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.1").put("port", 1).mergeIn(extra));
  }

  /** The one instance, as the registry holds it right after the last sweep. */
  private JsonObject only() {
    return gateway.registryInstances("pay").get(0);
  }

  private int count() {
    return gateway.registryInstances("pay").size();
  }

  private int beat() {
    return gateway.put(PAY + "/10.0.0.1:1/heartbeat", null).statusCode();
  }

  @Test
  @DisplayName("healthy at 15 s, unhealthy just after, and out of healthy=true lists")
  void turnsUnhealthy() {
    register(new JsonObject());
    gateway.advance(Duration.ofSeconds(15));
    assertThat(only().getBoolean("healthy")).isTrue();
    gateway.advance(Duration.ofMillis(1));
    assertThat(only().getBoolean("healthy")).isFalse();
    gateway.eventually(() -> assertThat(gateway.instances("pay", "healthy=true").getJsonArray("instances")).isEmpty());
  }

  @Test
  @DisplayName("there at 30 s, removed just after; a heartbeat then gets 404")
  void removed() {
    register(new JsonObject());
    gateway.advance(Duration.ofSeconds(30));
    assertThat(count()).isEqualTo(1);
    gateway.advance(Duration.ofMillis(1));
    assertThat(count()).isZero();
    assertThat(beat()).isEqualTo(404);
    gateway.eventually(() -> assertThat(gateway.instances("pay", "").getJsonArray("instances")).isEmpty());
  }

  @Test
  @DisplayName("heartbeats every 5 s keep an instance healthy for as long as they come")
  void heartbeatsRenew() {
    register(new JsonObject());
    for (int i = 0; i < 12; i++) {
      gateway.advance(Duration.ofSeconds(5));
      assertThat(beat()).isEqualTo(200);
    }
    assertThat(only().getBoolean("healthy")).isTrue();
    assertThat(only().getString("lastHeartbeatAt")).isEqualTo("2026-11-23T21:01:00Z");
    gateway.eventually(() -> assertThat(gateway.instances("pay", "").getJsonArray("instances").getJsonObject(0)
        .getString("lastHeartbeatAt")).isEqualTo("2026-11-23T21:01:00Z"));
  }

  @Test
  @DisplayName("a heartbeat brings an unhealthy instance back into healthy=true lists")
  void heartbeatRecovers() {
    register(new JsonObject());
    gateway.advance(Duration.ofSeconds(20));
    assertThat(only().getBoolean("healthy")).isFalse();
    assertThat(beat()).isEqualTo(200);
    assertThat(only().getBoolean("healthy")).isTrue();
    gateway.eventually(() -> assertThat(ids(gateway.instances("pay", "healthy=true"))).containsExactly("10.0.0.1:1"));
    gateway.advance(Duration.ofSeconds(15));
    assertThat(only().getBoolean("healthy")).isTrue();
  }

  @Test
  @DisplayName("an instance's own heartbeat interval scales both thresholds (10 s: 30 s and 60 s)")
  void ownInterval() {
    register(new JsonObject().put("heartbeatIntervalSeconds", 10));
    gateway.advance(Duration.ofSeconds(30));
    assertThat(only().getBoolean("healthy")).isTrue();
    gateway.advance(Duration.ofSeconds(1));
    assertThat(only().getBoolean("healthy")).isFalse();
    gateway.advance(Duration.ofSeconds(29));
    assertThat(count()).isEqualTo(1);
    gateway.advance(Duration.ofSeconds(1));
    assertThat(count()).isZero();
  }

  @Test
  @DisplayName("re-registering renews the lease")
  void reRegistrationRenews() {
    register(new JsonObject());
    gateway.advance(Duration.ofSeconds(14));
    register(new JsonObject());
    gateway.advance(Duration.ofSeconds(14));
    assertThat(only().getBoolean("healthy")).isTrue();
  }

  @Test
  @DisplayName("persistent instances hold no lease and are never expired")
  void persistentStay() {
    register(new JsonObject().put("ephemeral", false));
    gateway.advance(Duration.ofMinutes(5));
    assertThat(only().getBoolean("healthy")).isTrue();
    assertThat(only().getValue("lastHeartbeatAt")).isNull();
  }

  @Test
  @DisplayName("a process pause (no sweep for longer than the pause threshold) extends leases instead of expiring them")
  void pauseGuard() {
    register(new JsonObject());
    gateway.advance(Duration.ofSeconds(10));
    gateway.clock.advance(Duration.ofSeconds(60));
    gateway.sweep();
    assertThat(count()).isEqualTo(1);
    assertThat(only().getBoolean("healthy")).isTrue();
    gateway.advance(Duration.ofSeconds(5));
    assertThat(only().getBoolean("healthy")).isTrue();
    gateway.advance(Duration.ofSeconds(1));
    assertThat(only().getBoolean("healthy")).isFalse();
    gateway.advance(Duration.ofSeconds(15));
    assertThat(count()).isZero();
  }

  @Test
  @DisplayName("many leases running out at once are one log line each for unhealthy and removed, not one per instance")
  void massExpiryIsLoggedOnce() {
    for (int i = 1; i <= 40; i++) {
      gateway.register("pay", new JsonObject().put("ip", "10.0.1." + i).put("port", 1));
    }
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger registry = (Logger) LoggerFactory.getLogger(EmbeddedRegistry.class);
    registry.addAppender(log);
    try {
      gateway.advance(Duration.ofSeconds(31));
    } finally {
      registry.detachAppender(log);
    }
    assertThat(count()).isZero();
    assertThat(log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .map(ILoggingEvent::getFormattedMessage))
        .satisfiesExactly(
            line -> assertThat(line).startsWith("Missed their heartbeats, now unhealthy: 40 instances: 10.0.1.")
                .endsWith(" of DEFAULT_GROUP@@pay, ..."),
            line -> assertThat(line).startsWith("Leases expired, removed: 40 instances: 10.0.1.")
                .endsWith(" of DEFAULT_GROUP@@pay, ..."));
  }

  @Test
  @DisplayName("the scheduler sweeps by itself on its timer")
  void schedulerSweeps(@TempDir Path otherDir) {
    try (TestGateway timed = TestGateway.start(otherDir, c -> c.put("registry", new JsonObject()
        .put("lease", new JsonObject().put("sweepIntervalMillis", 20).put("pauseThresholdMillis", 3_600_000))))) {
      timed.register("pay", new JsonObject().put("ip", "10.0.0.1").put("port", 1));
      timed.clock.advance(Duration.ofSeconds(31));
      timed.eventually(() -> assertThat(timed.instances("pay", "").getJsonArray("instances")).isEmpty());
    }
  }
}
