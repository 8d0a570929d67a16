package com.wz.gateway.http;

import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
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

import static com.wz.gateway.support.TestGateway.ids;
import static com.wz.gateway.support.TestGateway.BASE;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxGuard.class)
@DisplayName("Instances: register, read, update, deregister, heartbeat")
class InstanceApiTest {

  private static final String ORDERS = BASE + "/services/orders/instances";

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

  private static JsonObject at(String ip, int port) {
    return new JsonObject().put("ip", ip).put("port", port);
  }

  @Test
  @DisplayName("a registration answers the full instance with its defaults")
  void registrationAnswersTheInstance() {
    HttpResponse<Buffer> response = gateway.post(ORDERS, at("10.1.0.1", 9000));
    JsonObject instance = response.bodyAsJsonObject();
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(instance.getString("service")).isEqualTo("orders");
    assertThat(instance.getString("group")).isEqualTo("DEFAULT_GROUP");
    assertThat(instance.getString("cluster")).isEqualTo("DEFAULT");
    assertThat(instance.getDouble("weight")).isEqualTo(1.0);
    assertThat(instance.getBoolean("healthy")).isTrue();
    assertThat(instance.getBoolean("enabled")).isTrue();
    assertThat(instance.getBoolean("ephemeral")).isTrue();
    assertThat(instance.getString("status")).isEqualTo("UP");
    assertThat(instance.getJsonObject("metadata")).isEqualTo(new JsonObject());
    assertThat(instance.getString("registeredAt")).isEqualTo("2026-11-23T21:00:00Z");
    assertThat(instance.getString("lastHeartbeatAt")).isEqualTo("2026-11-23T21:00:00Z");
  }

  @Test
  @DisplayName("re-registering the same ip and port updates, not duplicates, and keeps an operator's status")
  void reRegistrationUpdates() {
    gateway.register("orders", at("10.1.0.1", 9000).put("weight", 2.0));
    gateway.patch(ORDERS + "/10.1.0.1:9000/status", new JsonObject().put("status", "OUT_OF_SERVICE"));

    HttpResponse<Buffer> again = gateway.post(ORDERS, at("10.1.0.1", 9000).put("weight", 5.0)
        .put("metadata", new JsonObject().put("version", "2")));

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.getHeader("Location")).isNull();
    JsonObject list = gateway.instances("orders", "");
    assertThat(ids(list)).containsExactly("10.1.0.1:9000");
    JsonObject instance = list.getJsonArray("instances").getJsonObject(0);
    assertThat(instance.getDouble("weight")).isEqualTo(5.0);
    assertThat(instance.getJsonObject("metadata").getString("version")).isEqualTo("2");
    assertThat(instance.getString("status")).isEqualTo("OUT_OF_SERVICE");
    assertThat(instance.getString("registeredAt")).isEqualTo("2026-11-23T21:00:00Z");
  }

  @Test
  @DisplayName("an explicit status on re-registration replaces the old one")
  void explicitStatusOnReRegistration() {
    gateway.register("orders", at("10.1.0.1", 9000).put("status", "STARTING"));
    JsonObject instance = gateway.register("orders", at("10.1.0.1", 9000).put("status", "UP"));
    assertThat(instance.getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("instance ids: ip:port in DEFAULT, ip:port:cluster elsewhere, or the client's own")
  void instanceIds() {
    assertThat(gateway.register("orders", at("10.1.0.1", 9000)).getString("instanceId")).isEqualTo("10.1.0.1:9000");
    assertThat(gateway.register("orders", at("10.1.0.1", 9000).put("cluster", "east")).getString("instanceId"))
        .isEqualTo("10.1.0.1:9000:east");
    assertThat(gateway.register("orders", at("10.1.0.2", 9000).put("instanceId", "orders-2")).getString("instanceId"))
        .isEqualTo("orders-2");
    assertThat(ids(gateway.instances("orders", ""))).containsExactly("10.1.0.1:9000", "10.1.0.1:9000:east", "orders-2");
  }

  @Test
  @DisplayName("an instance id taken by another endpoint is a 409 and changes nothing")
  void conflictingInstanceId() {
    gateway.register("orders", at("10.1.0.1", 9000).put("instanceId", "orders-1"));
    HttpResponse<Buffer> taken = gateway.post(ORDERS, at("10.1.0.9", 9000).put("instanceId", "orders-1"));
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(taken.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(taken.bodyAsJsonObject().getString("detail")).contains("orders-1");
    assertThat(gateway.instances("orders", "").getJsonArray("instances").getJsonObject(0).getString("ip"))
        .isEqualTo("10.1.0.1");
  }

  @Test
  @DisplayName("IPv6 addresses and host names register")
  void ipv6AndHostNames() {
    assertThat(gateway.register("orders", at("fe80::1", 9000)).getString("instanceId")).isEqualTo("fe80::1:9000");
    assertThat(gateway.register("orders", at("orders-1.svc.local", 9000)).getString("ip")).isEqualTo("orders-1.svc.local");
  }

  @Test
  @DisplayName("GET one instance by id, 404 problem when unknown")
  void oneInstance() {
    gateway.register("orders", at("10.1.0.1", 9000));
    HttpResponse<Buffer> one = gateway.get(ORDERS + "/10.1.0.1:9000");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.bodyAsJsonObject().getString("ip")).isEqualTo("10.1.0.1");
    HttpResponse<Buffer> missing = gateway.get(ORDERS + "/10.9.9.9:1");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getInteger("status")).isEqualTo(404);
  }

  @Test
  @DisplayName("an unknown service has an empty list, not a 404")
  void unknownServiceIsEmpty() {
    JsonObject list = gateway.instances("nobody-here", "");
    assertThat(list.getString("service")).isEqualTo("nobody-here");
    assertThat(list.getString("group")).isEqualTo("DEFAULT_GROUP");
    assertThat(list.getJsonArray("instances")).isEmpty();
    assertThat(list.getBoolean("stale")).isFalse();
  }

  @Test
  @DisplayName("healthy=true hands out only instances that are healthy, enabled and UP")
  void healthyFilter() {
    gateway.register("orders", at("10.1.0.1", 9000));
    gateway.register("orders", at("10.1.0.2", 9000).put("enabled", false));
    gateway.register("orders", at("10.1.0.3", 9000).put("status", "STARTING"));
    gateway.register("orders", at("10.1.0.4", 9000).put("status", "DOWN"));
    assertThat(ids(gateway.instances("orders", "healthy=true"))).containsExactly("10.1.0.1:9000");
    assertThat(ids(gateway.instances("orders", "healthy=false"))).hasSize(4);
  }

  @Test
  @DisplayName("cluster and status filters")
  void clusterAndStatusFilters() {
    gateway.register("orders", at("10.1.0.1", 9000).put("cluster", "east"));
    gateway.register("orders", at("10.1.0.2", 9000).put("cluster", "west").put("status", "DOWN"));
    gateway.register("orders", at("10.1.0.3", 9000).put("cluster", "west"));
    assertThat(ids(gateway.instances("orders", "cluster=west"))).containsExactly("10.1.0.2:9000:west", "10.1.0.3:9000:west");
    assertThat(ids(gateway.instances("orders", "status=DOWN"))).containsExactly("10.1.0.2:9000:west");
    assertThat(ids(gateway.instances("orders", "cluster=west&healthy=true"))).containsExactly("10.1.0.3:9000:west");
  }

  @Test
  @DisplayName("groups keep services apart")
  void groups() {
    gateway.post(ORDERS + "?group=staging", at("10.1.0.1", 9000));
    gateway.post(ORDERS, at("10.1.0.2", 9000));
    assertThat(ids(gateway.instances("orders", "group=staging"))).containsExactly("10.1.0.1:9000");
    assertThat(ids(gateway.instances("orders", ""))).containsExactly("10.1.0.2:9000");
    assertThat(gateway.delete(ORDERS + "/10.1.0.1:9000").statusCode()).isEqualTo(404);
    assertThat(gateway.delete(ORDERS + "/10.1.0.1:9000?group=staging").statusCode()).isEqualTo(204);
  }

  @Test
  @DisplayName("deregistering an unknown instance is a 404 problem")
  void deregisterUnknown() {
    HttpResponse<Buffer> response = gateway.delete(ORDERS + "/10.9.9.9:1");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("10.9.9.9:1");
  }

  @Test
  @DisplayName("status: every status can be set and read back; unknown status 400, unknown instance 404")
  void statusUpdates() {
    gateway.register("orders", at("10.1.0.1", 9000));
    for (String status : new String[] {"DOWN", "STARTING", "OUT_OF_SERVICE", "UNKNOWN", "UP"}) {
      HttpResponse<Buffer> response = gateway.patch(ORDERS + "/10.1.0.1:9000/status", new JsonObject().put("status", status));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(gateway.instances("orders", "").getJsonArray("instances").getJsonObject(0).getString("status"))
          .isEqualTo(status);
    }
    HttpResponse<Buffer> unknownStatus = gateway.patch(ORDERS + "/10.1.0.1:9000/status", new JsonObject().put("status", "SLEEPING"));
    assertThat(unknownStatus.statusCode()).isEqualTo(400);
    assertThat(unknownStatus.bodyAsJsonObject().getString("detail")).contains("UP, DOWN, STARTING, OUT_OF_SERVICE, UNKNOWN");
    assertThat(gateway.patch(ORDERS + "/10.1.0.1:9000/status", new JsonObject()).statusCode()).isEqualTo(400);
    assertThat(gateway.patch(ORDERS + "/10.9.9.9:1/status", new JsonObject().put("status", "UP")).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("a disallowed status change is a 409 that names the allowed ones, and changes nothing")
  void disallowedTransition() {
    gateway.register("orders", at("10.1.0.1", 9000));
    HttpResponse<Buffer> refused = gateway.patch(ORDERS + "/10.1.0.1:9000/status", new JsonObject().put("status", "STARTING"));
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.bodyAsJsonObject().getString("detail"))
        .isEqualTo("status cannot change from UP to STARTING; from UP an instance may go to DOWN, OUT_OF_SERVICE, UNKNOWN");
    assertThat(gateway.get(ORDERS + "/10.1.0.1:9000").bodyAsJsonObject().getString("status")).isEqualTo("UP");
    assertThat(gateway.patch(ORDERS + "/10.1.0.1:9000/status", new JsonObject().put("status", "UP")).statusCode())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("a heartbeat renews the lease and answers the instance; unknown instances get 404 to register again")
  void heartbeats() {
    gateway.register("orders", at("10.1.0.1", 9000));
    gateway.clock.advance(java.time.Duration.ofSeconds(4));
    HttpResponse<Buffer> beat = gateway.put(ORDERS + "/10.1.0.1:9000/heartbeat", null);
    assertThat(beat.statusCode()).isEqualTo(200);
    assertThat(beat.bodyAsJsonObject().getString("lastHeartbeatAt")).isEqualTo("2026-11-23T21:00:04Z");
    gateway.eventually(() -> assertThat(gateway.instances("orders", "").getJsonArray("instances").getJsonObject(0)
        .getString("lastHeartbeatAt")).isEqualTo("2026-11-23T21:00:04Z"));
    assertThat(gateway.put(ORDERS + "/10.9.9.9:1/heartbeat", null).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("conditional reads: an unchanged list is a 304 for If-None-Match, a changed one a 200 with a new ETag")
  void conditionalReads() {
    gateway.register("orders", at("10.1.0.1", 9000));
    HttpResponse<Buffer> first = gateway.get(ORDERS);
    String etag = first.getHeader("ETag");
    assertThat(etag).startsWith("\"");
    HttpResponse<Buffer> same = gateway.send(io.vertx.core.http.HttpMethod.GET, ORDERS, null, null, "If-None-Match", etag);
    assertThat(same.statusCode()).isEqualTo(304);
    assertThat(same.body()).isNull();
    assertThat(gateway.get(ORDERS + "?healthy=true").getHeader("ETag")).isNotEqualTo(etag);

    gateway.register("orders", at("10.1.0.2", 9000));
    HttpResponse<Buffer> changed = gateway.send(io.vertx.core.http.HttpMethod.GET, ORDERS, null, null, "If-None-Match", etag);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.getHeader("ETag")).isNotEqualTo(etag);

    String services = gateway.get(BASE + "/services").getHeader("ETag");
    assertThat(gateway.send(io.vertx.core.http.HttpMethod.GET, BASE + "/services", null, null, "If-None-Match", services)
        .statusCode()).isEqualTo(304);
  }

  @Test
  @DisplayName("every reader sees a write as soon as it is answered, on every event loop")
  void readYourWrites() {
    for (int i = 1; i <= 30; i++) {
      gateway.register("orders", at("10.2.0." + i, 9000));
      assertThat(gateway.instances("orders", "").getJsonArray("instances")).hasSize(i);
      assertThat(gateway.instances("orders", "").getJsonArray("instances")).hasSize(i);
    }
    for (int i = 30; i >= 1; i--) {
      gateway.delete(ORDERS + "/10.2.0." + i + ":9000");
      assertThat(gateway.instances("orders", "").getJsonArray("instances")).hasSize(i - 1);
      assertThat(gateway.instances("orders", "").getJsonArray("instances")).hasSize(i - 1);
    }
  }
}
