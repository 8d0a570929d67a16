package com.wz.gateway.instance;

import com.wz.gateway.bus.Addresses;
import com.wz.gateway.registry.InstanceStatus;
import com.wz.gateway.registry.RegistryEvent;
import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.wz.gateway.support.TestGateway.BASE;
import static com.wz.gateway.support.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxGuard.class)
@DisplayName("The gateway's own registration")
class SelfRegistrationTest {

  @TempDir
  Path dataDir;

  private static TestGateway start(Path dataDir) {
    return TestGateway.start(dataDir, c -> c.put("self", new JsonObject()
        .put("enabled", true).put("ip", "127.0.0.1").put("heartbeatIntervalMillis", 100)
        .put("metadata", new JsonObject().put("version", "9.9.9").put("env", "test").put("region", "r1").put("owner", "ops"))));
  }

  @Test
  @DisplayName("registers itself UP with its metadata, on its own HTTP port")
  void registersItself() {
    try (TestGateway gateway = start(dataDir)) {
      JsonObject self = gateway.instances("registry-gateway", "").getJsonArray("instances").getJsonObject(0);
      assertThat(self.getString("status")).isEqualTo("UP");
      assertThat(self.getString("ip")).isEqualTo("127.0.0.1");
      assertThat(self.getInteger("port")).isEqualTo(gateway.port());
      assertThat(self.getJsonObject("metadata")).isEqualTo(new JsonObject()
          .put("env", "test").put("owner", "ops").put("region", "r1").put("version", "9.9.9"));
    }
  }

  @Test
  @DisplayName("keeps itself alive: its heartbeats renew the lease, and a lost registration comes back UP")
  void keepsItselfAlive() {
    try (TestGateway gateway = start(dataDir)) {
      String path = BASE + "/services/registry-gateway/instances/127.0.0.1:" + gateway.port();
      String before = gateway.registryInstances("registry-gateway").get(0).getString("lastHeartbeatAt");
      gateway.clock.advance(java.time.Duration.ofSeconds(3));
      gateway.eventually(() -> assertThat(gateway.registryInstances("registry-gateway").get(0)
          .getString("lastHeartbeatAt")).isNotEqualTo(before));

      assertThat(gateway.delete(path).statusCode()).isEqualTo(204);
      gateway.eventually(() -> assertThat(gateway.registryInstances("registry-gateway"))
          .singleElement().satisfies(i -> assertThat(i.getString("status")).isEqualTo("UP")));
    }
  }

  @Test
  @DisplayName("on shutdown: readiness DOWN and OUT_OF_SERVICE first, then deregistered")
  void shutdownOrder() {
    try (TestGateway gateway = start(dataDir)) {
      List<String> seen = new CopyOnWriteArrayList<>();
      await(gateway.vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> {
        RegistryEvent event = RegistryEvent.fromJson(m.body());
        if (event.key().service().equals("registry-gateway")) {
          seen.add(event.type() + " " + event.instance().status());
        }
      }).completion());
      await(gateway.vertx.eventBus().<JsonObject>consumer(Addresses.HEALTH_RESULTS, m -> {
        m.body().getJsonArray("checks").stream().map(JsonObject.class::cast)
            .filter(c -> c.getString("id").equals("lifecycle") && c.getString("status").equals("DOWN"))
            .findFirst().ifPresent(c -> seen.add("readiness DOWN"));
      }).completion());

      gateway.stopGateway();

      assertThat(seen).containsSubsequence("readiness DOWN", "DEREGISTERED OUT_OF_SERVICE");
      assertThat(seen).contains("UPDATED " + InstanceStatus.OUT_OF_SERVICE);
      assertThat(seen.indexOf("UPDATED OUT_OF_SERVICE")).isLessThan(seen.indexOf("DEREGISTERED OUT_OF_SERVICE"));
    }
  }
}
