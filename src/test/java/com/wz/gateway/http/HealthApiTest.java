package com.wz.gateway.http;

import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static com.wz.gateway.support.TestGateway.BASE;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxGuard.class)
@DisplayName("Health endpoints")
class HealthApiTest {

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

  private static List<String> ids(JsonArray checks) {
    return checks.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  @Test
  @DisplayName("/health, /health/live and /health/ready answer MicroProfile Health, 200 when UP")
  void probes() {
    HttpResponse<Buffer> all = gateway.get("/health");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    assertThat(ids(all.bodyAsJsonObject().getJsonArray("checks"))).containsExactly("registry", "event-loop", "data-dir", "lifecycle");
    assertThat(ids(gateway.get("/health/live").bodyAsJsonObject().getJsonArray("checks"))).containsExactly("event-loop");
    JsonObject ready = gateway.get("/health/ready").bodyAsJsonObject();
    assertThat(ids(ready.getJsonArray("checks"))).containsExactly("registry", "data-dir", "lifecycle");
    assertThat(ready.getJsonArray("checks").getJsonObject(0).getJsonObject("data").getString("backend")).isEqualTo("embedded");
  }

  @Test
  @DisplayName("health/status summarises checks and instance health; health/check runs checks now")
  void statusAndCheck() {
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.1").put("port", 1));
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.2").put("port", 1));
    gateway.advance(java.time.Duration.ofSeconds(10));
    gateway.put(BASE + "/services/pay/instances/10.0.0.2:1/heartbeat", null);
    gateway.advance(java.time.Duration.ofSeconds(6));

    JsonObject checked = gateway.post(BASE + "/health/check", new JsonObject().put("checks", new JsonArray().add("registry")))
        .bodyAsJsonObject();
    assertThat(checked.getString("status")).isEqualTo("UP");
    assertThat(checked.getJsonObject("instances")).isEqualTo(new JsonObject().put("total", 2).put("healthy", 1).put("unhealthy", 1));
    assertThat(checked.getString("checkedAt")).isNotNull();
    assertThat(ids(checked.getJsonArray("checks"))).containsExactly("registry", "event-loop", "data-dir", "lifecycle");

    HttpResponse<Buffer> status = gateway.get(BASE + "/health/status");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.bodyAsJsonObject().getJsonObject("instances").getInteger("total")).isEqualTo(2);
  }

  @Test
  @DisplayName("readiness is DOWN (503) when the registry does not answer; liveness stays UP")
  void readinessFollowsTheRegistry() throws Exception {
    gateway.undeployRegistry();
    long deadline = System.currentTimeMillis() + 5000;
    HttpResponse<Buffer> ready = gateway.get("/health/ready");
    while (ready.statusCode() != 503 && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      ready = gateway.get("/health/ready");
    }
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
    assertThat(ready.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0).getJsonObject("data").getString("reason"))
        .isNotBlank();
    assertThat(gateway.get("/health/live").statusCode()).isEqualTo(200);
  }
}
