package com.wz.gateway.http;

import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
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
@DisplayName("The services list: counts, paging, name filter, groups")
class ServicesApiTest {

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

  private JsonObject services(String query) {
    return gateway.get(BASE + "/services" + (query.isEmpty() ? "" : "?" + query)).bodyAsJsonObject();
  }

  private static List<String> names(JsonObject page) {
    return page.getJsonArray("services").stream().map(o -> ((JsonObject) o).getString("name")).toList();
  }

  @Test
  @DisplayName("counts instances and those that may take traffic")
  void counts() {
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.1").put("port", 1));
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.2").put("port", 1).put("status", "DOWN"));
    JsonObject pay = services("").getJsonArray("services").getJsonObject(0);
    assertThat(pay.getInteger("instanceCount")).isEqualTo(2);
    assertThat(pay.getInteger("healthyInstanceCount")).isEqualTo(1);
  }

  @Test
  @DisplayName("pages are 1-based, sorted by name, with the total of all matches")
  void paging() {
    for (String name : List.of("e", "c", "a", "d", "b")) {
      gateway.register(name, new JsonObject().put("ip", "10.0.0.1").put("port", 1));
    }
    JsonObject first = services("size=2");
    assertThat(names(first)).containsExactly("a", "b");
    assertThat(first.getInteger("total")).isEqualTo(5);
    assertThat(first.getInteger("page")).isEqualTo(1);
    assertThat(first.getInteger("size")).isEqualTo(2);
    assertThat(names(services("size=2&page=3"))).containsExactly("e");
    assertThat(names(services("size=2&page=4"))).isEmpty();
    assertThat(services("").getInteger("size")).isEqualTo(100);
  }

  @Test
  @DisplayName("q filters by name, case-insensitively; group picks the group")
  void filters() {
    gateway.register("wz.user.auth", new JsonObject().put("ip", "10.0.0.1").put("port", 1));
    gateway.register("wz.order", new JsonObject().put("ip", "10.0.0.1").put("port", 1));
    gateway.post(BASE + "/services/wz.user.auth/instances?group=staging", new JsonObject().put("ip", "10.0.0.1").put("port", 1));
    assertThat(names(services("q=USER"))).containsExactly("wz.user.auth");
    assertThat(services("q=USER").getInteger("total")).isEqualTo(1);
    assertThat(names(services("group=staging"))).containsExactly("wz.user.auth");
    assertThat(services("group=staging").getJsonArray("services").getJsonObject(0).getString("group")).isEqualTo("staging");
  }

  @Test
  @DisplayName("a service whose last instance leaves is no longer listed")
  void emptyServicesDisappear() {
    gateway.register("pay", new JsonObject().put("ip", "10.0.0.1").put("port", 1));
    gateway.delete(BASE + "/services/pay/instances/10.0.0.1:1");
    assertThat(services("").getInteger("total")).isZero();
  }
}
