package com.wz.gateway.registry.nacos;

import com.alibaba.nacos.api.naming.pojo.Instance;
import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import com.wz.gateway.support.TestGateway.Backend;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.wz.gateway.support.TestGateway.BASE;
import static com.wz.gateway.support.TestGateway.ids;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxGuard.class)
@DisplayName("The Nacos bridge, on an in-memory Nacos")
class NacosBridgeTest {

  private static final String PAY = BASE + "/services/pay/instances";

  @TempDir
  Path dataDir;
  private FakeNacosNaming nacos;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    nacos = new FakeNacosNaming();
    gateway = TestGateway.start(dataDir, Backend.NACOS_FAKE, nacos);
    gateway.sweep();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private static JsonObject at(String ip) {
    return new JsonObject().put("ip", ip).put("port", 8080);
  }

  private List<String> serverIps() {
    return nacos.server("pay", "DEFAULT_GROUP").stream().map(Instance::getIp).toList();
  }

  @Test
  @DisplayName("several instances of one service are held in one batch, all visible, and leave one by one")
  void severalInstancesOneService() {
    gateway.register("pay", at("10.0.0.1"));
    gateway.register("pay", at("10.0.0.2"));
    gateway.register("pay", at("10.0.0.3"));
    assertThat(serverIps()).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
    assertThat(nacos.calls()).containsExactly("batch pay 1", "batch pay 2", "batch pay 3");

    assertThat(gateway.delete(PAY + "/10.0.0.2:8080").statusCode()).isEqualTo(204);
    assertThat(serverIps()).containsExactly("10.0.0.1", "10.0.0.3");
    gateway.delete(PAY + "/10.0.0.1:8080");
    gateway.delete(PAY + "/10.0.0.3:8080");
    assertThat(serverIps()).isEmpty();
    assertThat(nacos.calls()).endsWith("release pay");
  }

  @Test
  @DisplayName("an instance that is not UP is never selected by a plain Nacos consumer, and its status travels in metadata")
  void statusMapping() {
    gateway.register("pay", at("10.0.0.1"));
    gateway.register("pay", at("10.0.0.2"));
    gateway.patch(PAY + "/10.0.0.1:8080/status", new JsonObject().put("status", "OUT_OF_SERVICE"));

    assertThat(nacos.selectHealthy("pay", "DEFAULT_GROUP")).extracting(Instance::getIp).containsExactly("10.0.0.2");
    Instance out = nacos.server("pay", "DEFAULT_GROUP").get(0);
    assertThat(out.isHealthy()).isFalse();
    assertThat(out.getWeight()).isZero();
    assertThat(out.getMetadata()).containsEntry("gateway.status", "OUT_OF_SERVICE").containsEntry("gateway.weight", "1.0");

    gateway.patch(PAY + "/10.0.0.1:8080/status", new JsonObject().put("status", "UP"));
    assertThat(nacos.selectHealthy("pay", "DEFAULT_GROUP")).extracting(Instance::getIp).containsExactly("10.0.0.1", "10.0.0.2");
  }

  @Test
  @DisplayName("weight, cluster, group and metadata round-trip")
  void roundTrip() {
    gateway.post(PAY + "?group=STAGING", at("10.0.0.1").put("weight", 3.5).put("cluster", "east")
        .put("metadata", new JsonObject().put("version", "1.4.2").put("owner", "team-pay")));
    Instance held = nacos.server("pay", "STAGING").get(0);
    assertThat(held.getWeight()).isEqualTo(3.5);
    assertThat(held.getClusterName()).isEqualTo("east");
    assertThat(held.getMetadata()).containsEntry("version", "1.4.2").containsEntry("owner", "team-pay");

    JsonObject read = NacosMapping.fromNacos(com.wz.gateway.registry.ServiceKey.of("STAGING", "pay"), held,
        java.time.Instant.EPOCH).toJson();
    JsonObject api = gateway.instances("pay", "group=STAGING").getJsonArray("instances").getJsonObject(0);
    assertThat(read.copy().put("lastHeartbeatAt", api.getValue("lastHeartbeatAt"))).isEqualTo(api);
  }

  @Test
  @DisplayName("instances of plain Nacos clients are read through push, and cannot be changed through the gateway")
  void foreignInstances() {
    gateway.register("pay", at("10.0.0.1"));
    Instance plain = new Instance();
    plain.setIp("10.9.9.9");
    plain.setPort(9000);
    plain.setMetadata(Map.of("version", "0.9"));
    nacos.registerForeign("pay", "DEFAULT_GROUP", plain);

    gateway.eventually(() -> assertThat(ids(gateway.instances("pay", ""))).contains("10.9.9.9:9000"));
    JsonObject foreign = gateway.get(PAY + "/10.9.9.9:9000").bodyAsJsonObject();
    assertThat(foreign.getString("status")).isEqualTo("UP");
    assertThat(foreign.getJsonObject("metadata").getString("version")).isEqualTo("0.9");
    assertThat(gateway.delete(PAY + "/10.9.9.9:9000").statusCode()).isEqualTo(409);
  }

  @Test
  @DisplayName("an empty push does not wipe a service whose instances can serve, while the server still has them")
  void emptyPushProtection() throws Exception {
    Instance plain = new Instance();
    plain.setIp("10.9.9.9");
    plain.setPort(9000);
    nacos.registerForeign("pay", "DEFAULT_GROUP", plain);
    gateway.eventually(() -> assertThat(ids(gateway.instances("pay", ""))).containsExactly("10.9.9.9:9000"));
    nacos.pushEmpty("pay", "DEFAULT_GROUP");
    Thread.sleep(300);
    assertThat(ids(gateway.instances("pay", "healthy=true"))).containsExactly("10.9.9.9:9000");

    nacos.deregisterForeign("pay", "DEFAULT_GROUP", "10.9.9.9");
    gateway.eventually(() -> assertThat(ids(gateway.instances("pay", ""))).isEmpty());
  }

  @Test
  @DisplayName("Nacos away: not ready, reads stale, writes 503 at once; back: ready, fresh, registrations restored")
  void outage() {
    gateway.register("pay", at("10.0.0.1"));
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.2").put("port", 8080).put("ephemeral", false));
    gateway.instances("pay", "");

    nacos.goDown();
    gateway.eventually(() -> assertThat(gateway.get("/health/ready").statusCode()).isEqualTo(503));
    JsonObject stale = gateway.instances("pay", "");
    assertThat(stale.getBoolean("stale")).isTrue();
    assertThat(ids(stale)).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");
    long before = System.nanoTime();
    HttpResponse<Buffer> refused = gateway.post(PAY, at("10.0.0.3"));
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.getHeader("Retry-After")).isNotNull();
    assertThat(gateway.delete(PAY + "/10.0.0.1:8080").statusCode()).isEqualTo(503);
    assertThat(gateway.put(PAY + "/10.0.0.1:8080/heartbeat", null).statusCode()).isEqualTo(200);

    nacos.comeBack();
    gateway.eventually(() -> assertThat(gateway.get("/health/ready").statusCode()).isEqualTo(200));
    gateway.eventually(() -> assertThat(gateway.instances("pay", "").getBoolean("stale")).isFalse());
    assertThat(serverIps()).contains("10.0.0.1");
    assertThat(ids(gateway.instances("pay", ""))).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");
  }

  @Test
  @DisplayName("readiness follows Nacos going and coming back at once, not at the next periodic health run")
  void readinessFollowsReachability() {
    gateway.close();
    gateway = TestGateway.startOnFakeNacos(dataDir, nacos, c -> {
      c.getJsonObject("health").put("intervalMillis", 60_000);
      return c;
    });
    assertThat(gateway.get("/health/ready").statusCode()).isEqualTo(200);

    nacos.goDown();
    assertThat(secondsUntilReady(503)).isLessThan(1.0);
    assertThat(gateway.get("/health/ready").bodyAsString()).contains("cannot be reached");
    nacos.comeBack();
    assertThat(secondsUntilReady(200)).isLessThan(1.0);
  }

  private double secondsUntilReady(int status) {
    long start = System.nanoTime();
    gateway.eventually(() -> assertThat(gateway.get("/health/ready").statusCode()).isEqualTo(status));
    return (System.nanoTime() - start) / 1e9;
  }

  @Test
  @DisplayName("an instance that misses its heartbeats while Nacos is away turns unhealthy once Nacos is back")
  void missedDuringOutage() {
    gateway.register("pay", at("10.0.0.1"));
    gateway.instances("pay", "");
    nacos.goDown();
    gateway.eventually(() -> assertThat(gateway.get("/health/ready").statusCode()).isEqualTo(503));

    gateway.advance(Duration.ofSeconds(16));
    nacos.comeBack();
    gateway.eventually(() -> assertThat(gateway.get("/health/ready").statusCode()).isEqualTo(200));
    gateway.advance(Duration.ofSeconds(1));

    assertThat(nacos.selectHealthy("pay", "DEFAULT_GROUP")).isEmpty();
    assertThat(gateway.instances("pay", "healthy=true").getJsonArray("instances")).isEmpty();
    assertThat(serverIps()).containsExactly("10.0.0.1");
  }

  @Test
  @DisplayName("listing services counts each one's instances without holding up heartbeats meanwhile")
  void slowServiceListDoesNotHoldTheRegistry() throws Exception {
    gateway.register("pay", at("10.0.0.1"));
    for (int i = 0; i < 20; i++) {
      Instance instance = new Instance();
      instance.setIp("10.9.0." + i);
      instance.setPort(80);
      nacos.registerForeign(String.format("other-%02d", i), "DEFAULT_GROUP", instance);
    }
    nacos.slowReads(200);

    CompletableFuture<HttpResponse<Buffer>> listing = CompletableFuture.supplyAsync(() -> gateway.get(BASE + "/services"));
    Thread.sleep(300);
    long beat = System.nanoTime();
    assertThat(gateway.put(PAY + "/10.0.0.1:8080/heartbeat", null).statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - beat)).isLessThan(Duration.ofMillis(500));

    JsonObject page = listing.get(20, TimeUnit.SECONDS).bodyAsJsonObject();
    assertThat(page.getInteger("total")).isEqualTo(21);
    assertThat(page.getJsonArray("services").stream().map(JsonObject.class::cast)
        .allMatch(s -> s.getInteger("instanceCount") == 1)).isTrue();
  }

  @Test
  @DisplayName("a push from before a deregistration, arriving after it, does not bring the instance back")
  void latePushAfterDeregistration() throws Exception {
    gateway.register("pay", at("10.0.0.1"));
    gateway.register("pay", at("10.0.0.2"));
    gateway.instances("pay", "");
    List<Instance> before = nacos.server("pay", "DEFAULT_GROUP");
    nacos.holdPushes();
    assertThat(gateway.delete(PAY + "/10.0.0.2:8080").statusCode()).isEqualTo(204);

    nacos.pushLate("pay", "DEFAULT_GROUP", before);
    Thread.sleep(300);
    assertThat(ids(gateway.instances("pay", ""))).containsExactly("10.0.0.1:8080");
    assertThat(ids(gateway.instances("pay", "healthy=true"))).containsExactly("10.0.0.1:8080");

    nacos.releasePushes();
    Instance again = new Instance();
    again.setIp("10.0.0.2");
    again.setPort(8080);
    nacos.registerForeign("pay", "DEFAULT_GROUP", again);
    gateway.eventually(() -> assertThat(ids(gateway.instances("pay", "")))
        .containsExactlyInAnyOrder("10.0.0.1:8080", "10.0.0.2:8080"));
  }

  @Test
  @DisplayName("an instance whose lease runs out is removed from Nacos")
  void leaseExpiry() {
    gateway.register("pay", at("10.0.0.1"));
    gateway.advance(Duration.ofSeconds(16));
    assertThat(nacos.selectHealthy("pay", "DEFAULT_GROUP")).isEmpty();
    assertThat(serverIps()).containsExactly("10.0.0.1");
    gateway.advance(Duration.ofSeconds(15));
    assertThat(serverIps()).isEmpty();
  }

  @Test
  @DisplayName("a persistent instance keeps its status across a gateway restart and can still be changed")
  void persistentAcrossRestart() {
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.1").put("port", 8080).put("ephemeral", false));
    gateway.patch(PAY + "/10.0.0.1:8080/status", new JsonObject().put("status", "OUT_OF_SERVICE"));
    gateway.restart();
    assertThat(gateway.get(PAY + "/10.0.0.1:8080").bodyAsJsonObject().getString("status")).isEqualTo("OUT_OF_SERVICE");
    assertThat(gateway.patch(PAY + "/10.0.0.1:8080/status", new JsonObject().put("status", "UP")).statusCode()).isEqualTo(200);
    assertThat(gateway.delete(PAY + "/10.0.0.1:8080").statusCode()).isEqualTo(204);
    assertThat(serverIps()).isEmpty();
  }
}
