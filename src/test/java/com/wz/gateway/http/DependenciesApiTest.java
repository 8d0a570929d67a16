package com.wz.gateway.http;

import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
@DisplayName("Dependencies declared in instance metadata")
class DependenciesApiTest {

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

  private void instance(String service, String ip, String dependencies, String status) {
    JsonObject body = new JsonObject().put("ip", ip).put("port", 80).put("status", status);
    if (dependencies != null) {
      body.put("metadata", new JsonObject().put("dependencies", dependencies));
    }
    gateway.register(service, body);
  }

  private JsonObject dependencies(String service, String query) {
    return gateway.get(BASE + "/services/" + service + "/dependencies" + query).bodyAsJsonObject();
  }

  private static List<String> services(JsonArray list) {
    return list.stream().map(o -> ((JsonObject) o).getString("service")).toList();
  }

  @Test
  @DisplayName("direct dependencies with their counts and status, dependents, and missing names")
  void direct() {
    instance("web", "10.0.0.1", "auth, orders ,ghost", "UP");
    instance("web", "10.0.0.2", "auth", "UP");
    instance("auth", "10.0.1.1", null, "UP");
    instance("auth", "10.0.1.2", null, "DOWN");
    instance("orders", "10.0.2.1", null, "DOWN");
    instance("admin", "10.0.3.1", "web", "UP");

    JsonObject web = dependencies("web", "");
    assertThat(web.getString("service")).isEqualTo("web");
    assertThat(web.getJsonArray("dependencies")).containsExactly(
        new JsonObject().put("service", "auth").put("instanceCount", 2).put("healthyInstanceCount", 1).put("status", "UP"),
        new JsonObject().put("service", "ghost").put("instanceCount", 0).put("healthyInstanceCount", 0).put("status", "MISSING"),
        new JsonObject().put("service", "orders").put("instanceCount", 1).put("healthyInstanceCount", 0).put("status", "DOWN"));
    assertThat(services(web.getJsonArray("dependents"))).containsExactly("admin");
    assertThat(web.getJsonArray("missing")).containsExactly("ghost");
  }

  @Test
  @DisplayName("transitive=true walks the whole graph and terminates on cycles")
  void transitiveWithCycle() {
    instance("a", "10.0.0.1", "b", "UP");
    instance("b", "10.0.0.2", "c", "UP");
    instance("c", "10.0.0.3", "a,d", "UP");

    JsonObject direct = dependencies("a", "");
    assertThat(services(direct.getJsonArray("dependencies"))).containsExactly("b");

    JsonObject all = dependencies("a", "?transitive=true");
    assertThat(services(all.getJsonArray("dependencies"))).containsExactly("b", "c", "d");
    assertThat(all.getJsonArray("dependencies").getJsonObject(1).getInteger("depth")).isEqualTo(2);
    assertThat(all.getJsonArray("missing")).containsExactly("d");
    assertThat(services(all.getJsonArray("dependents"))).containsExactly("c", "b");
  }

  @Test
  @DisplayName("a service nobody registered still shows who depends on it")
  void unknownService() {
    instance("web", "10.0.0.1", "billing", "UP");
    JsonObject billing = dependencies("billing", "");
    assertThat(billing.getJsonArray("dependencies")).isEmpty();
    assertThat(services(billing.getJsonArray("dependents"))).containsExactly("web");
  }
}
