package com.wz.gateway.registry.embedded;

import com.wz.gateway.support.BlockedThreadGuard;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static com.wz.gateway.support.TestGateway.BASE;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(BlockedThreadGuard.class)
@DisplayName("Ephemeral leases: unhealthy after 15 s without a heartbeat, removed after 30 s")
class LeaseExpiryTest {

  private static final String PAY = BASE + "/services/pay/instances";

  @TempDir
  Path dataDir;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    gateway = TestGateway.start(dataDir);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private JsonObject instance(String id) {
    return gateway.instances("pay", "").getJsonArray("instances").stream().map(JsonObject.class::cast)
        .filter(i -> i.getString("instanceId").equals(id)).findFirst().orElse(null);
  }

  /** Waits (in real time, a few sweeps at most) until the instance list satisfies {@code condition}. */
  private void eventually(Predicate<List<JsonObject>> condition, String what) {
    long deadline = System.currentTimeMillis() + 5000;
    while (System.currentTimeMillis() < deadline) {
      List<JsonObject> list = gateway.instances("pay", "").getJsonArray("instances").stream()
          .map(JsonObject.class::cast).toList();
      if (condition.test(list)) {
        return;
      }
      sleep();
    }
    throw new AssertionError("never: " + what);
  }

  private static void sleep() {
    try {
      Thread.sleep(25);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets a few sweeps run and checks nothing changed. */
  private void staysFor(Predicate<List<JsonObject>> condition) {
    for (int i = 0; i < 8; i++) {
      sleep();
      List<JsonObject> list = gateway.instances("pay", "").getJsonArray("instances").stream()
          .map(JsonObject.class::cast).toList();
      assertThat(condition.test(list)).as("still %s", list).isTrue();
    }
  }

  @Test
  @DisplayName("healthy at 15 s, unhealthy just after, and out of healthy=true lists")
  void turnsUnhealthy() {
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.1").put("port", 1));
    gateway.clock.advance(Duration.ofSeconds(15));
    staysFor(list -> list.get(0).getBoolean("healthy"));
    gateway.clock.advance(Duration.ofMillis(1));
    eventually(list -> !list.get(0).getBoolean("healthy"), "unhealthy after 15 s");
    assertThat(gateway.instances("pay", "healthy=true").getJsonArray("instances")).isEmpty();
  }

  @Test
  @DisplayName("removed just after 30 s without a heartbeat")
  void removed() {
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.1").put("port", 1));
    gateway.clock.advance(Duration.ofSeconds(30));
    staysFor(list -> list.size() == 1);
    gateway.clock.advance(Duration.ofMillis(1));
    eventually(List::isEmpty, "removed after 30 s");
    assertThat(gateway.put(PAY + "/10.0.0.1:1/heartbeat", null).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("heartbeats keep an instance, and bring an unhealthy one back")
  void heartbeatsRenew() {
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.1").put("port", 1));
    for (int i = 0; i < 10; i++) {
      gateway.clock.advance(Duration.ofSeconds(5));
      assertThat(gateway.put(PAY + "/10.0.0.1:1/heartbeat", null).statusCode()).isEqualTo(200);
    }
    staysFor(list -> list.size() == 1 && list.get(0).getBoolean("healthy"));
    gateway.clock.advance(Duration.ofSeconds(20));
    eventually(list -> !list.get(0).getBoolean("healthy"), "unhealthy");
    gateway.put(PAY + "/10.0.0.1:1/heartbeat", null);
    assertThat(instance("10.0.0.1:1").getBoolean("healthy")).isTrue();
    assertThat(gateway.instances("pay", "healthy=true").getJsonArray("instances")).hasSize(1);
  }

  @Test
  @DisplayName("an instance's own heartbeat interval scales both thresholds")
  void ownInterval() {
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.1").put("port", 1).put("heartbeatIntervalSeconds", 10));
    gateway.clock.advance(Duration.ofSeconds(29));
    staysFor(list -> list.get(0).getBoolean("healthy"));
    gateway.clock.advance(Duration.ofSeconds(2));
    eventually(list -> !list.get(0).getBoolean("healthy"), "unhealthy after 30 s");
    gateway.clock.advance(Duration.ofSeconds(30));
    eventually(List::isEmpty, "removed after 60 s");
  }

  @Test
  @DisplayName("persistent instances hold no lease and are never expired")
  void persistentStay() {
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.1").put("port", 1).put("ephemeral", false));
    gateway.clock.advance(Duration.ofHours(2));
    staysFor(list -> list.size() == 1 && list.get(0).getBoolean("healthy"));
    assertThat(instance("10.0.0.1:1").getValue("lastHeartbeatAt")).isNull();
  }
}
