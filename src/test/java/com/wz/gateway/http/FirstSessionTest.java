package com.wz.gateway.http;

import com.wz.gateway.registry.nacos.FakeNacosNaming;
import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import com.wz.gateway.support.TestGateway.Backend;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.UUID;

import static com.wz.gateway.support.TestGateway.BASE;
import static com.wz.gateway.support.TestGateway.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@ExtendWith(VertxGuard.class)
@DisplayName("A user's first session, exactly as API.md writes it, on every backend")
class FirstSessionTest {

  @TempDir
  Path dataDir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  @DisplayName("register two, list, take one out of service, deregister the other, reject a bad port, be ready")
  void firstSession(Backend backend) {
    assumeTrue(backend != Backend.NACOS || System.getenv("NACOS_SERVER_ADDR") != null,
        "NACOS_SERVER_ADDR is not set: the real-Nacos run is skipped");
    String service = backend == Backend.NACOS ? "wz.user.auth-service-" + UUID.randomUUID() : "wz.user.auth-service";
    String instances = BASE + "/services/" + service + "/instances";
    try (TestGateway gateway = TestGateway.start(dataDir, backend, new FakeNacosNaming())) {
      HttpResponse<Buffer> first = gateway.post(instances,
          new JsonObject().put("ip", "10.0.0.5").put("port", 8080).put("metadata", new JsonObject().put("version", "1.0.0")));
      assertThat(first.statusCode()).isEqualTo(201);
      assertThat(first.getHeader("Location")).isEqualTo(instances + "/10.0.0.5%3A8080");
      assertThat(first.bodyAsJsonObject().getString("instanceId")).isEqualTo("10.0.0.5:8080");
      assertThat(first.bodyAsJsonObject().getJsonObject("metadata").getString("version")).isEqualTo("1.0.0");

      assertThat(gateway.post(instances, new JsonObject().put("ip", "10.0.0.6").put("port", 8080)).statusCode())
          .isEqualTo(201);

      JsonObject services = gateway.get(BASE + "/services?q=" + service).bodyAsJsonObject();
      assertThat(services.getJsonArray("services")).containsExactly(new JsonObject()
          .put("name", service).put("group", "DEFAULT_GROUP")
          .put("instanceCount", 2).put("healthyInstanceCount", 2));

      assertThat(ids(gateway.instances(service, "healthy=true"))).containsExactly("10.0.0.5:8080", "10.0.0.6:8080");

      HttpResponse<Buffer> patched = gateway.patch(instances + "/10.0.0.5:8080/status",
          new JsonObject().put("status", "OUT_OF_SERVICE"));
      assertThat(patched.statusCode()).isEqualTo(200);
      assertThat(patched.bodyAsJsonObject().getString("status")).isEqualTo("OUT_OF_SERVICE");

      assertThat(ids(gateway.instances(service, "healthy=true"))).containsExactly("10.0.0.6:8080");

      assertThat(gateway.delete(instances + "/10.0.0.6:8080").statusCode()).isEqualTo(204);

      JsonObject remaining = gateway.instances(service, "");
      assertThat(ids(remaining)).containsExactly("10.0.0.5:8080");
      assertThat(remaining.getJsonArray("instances").getJsonObject(0).getString("status")).isEqualTo("OUT_OF_SERVICE");

      HttpResponse<Buffer> badPort = gateway.post(instances, new JsonObject().put("ip", "10.0.0.7").put("port", 70000));
      assertThat(badPort.statusCode()).isEqualTo(400);
      assertThat(badPort.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(badPort.bodyAsJsonObject().getString("detail")).contains("port");
      assertThat(badPort.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("port");

      HttpResponse<Buffer> ready = gateway.get("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    }
  }
}
