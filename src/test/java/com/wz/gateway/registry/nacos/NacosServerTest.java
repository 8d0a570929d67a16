package com.wz.gateway.registry.nacos;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.naming.NamingService;
import com.alibaba.nacos.api.naming.pojo.Instance;
import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import com.wz.gateway.support.TestGateway.Backend;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import static com.wz.gateway.support.TestGateway.BASE;
import static com.wz.gateway.support.TestGateway.ids;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Nacos backend against a real Nacos server, seen from a separate, plain nacos-client. Runs only
 * when {@code NACOS_SERVER_ADDR} is set (e.g. {@code NACOS_SERVER_ADDR=127.0.0.1:8848 mvn verify});
 * JUnit reports it as skipped otherwise.
 */
@EnabledIfEnvironmentVariable(named = "NACOS_SERVER_ADDR", matches = ".+",
    disabledReason = "NACOS_SERVER_ADDR is not set: the real-Nacos tests are skipped")
@ExtendWith(VertxGuard.class)
@DisplayName("The Nacos backend on a real Nacos server, as a plain Nacos client sees it")
class NacosServerTest {

  @TempDir
  Path dataDir;
  private TestGateway gateway;
  private NamingService plain;
  private String service;
  private String path;

  @BeforeEach
  void start() throws Exception {
    gateway = TestGateway.start(dataDir, Backend.NACOS, null);
    plain = NacosFactory.createNamingService(System.getenv("NACOS_SERVER_ADDR"));
    service = "gw.it." + UUID.randomUUID();
    path = BASE + "/services/" + service + "/instances";
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    plain.shutDown();
  }

  private List<Instance> seen(Callable<List<Instance>> query, int expected) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    List<Instance> list = query.call();
    while (list.size() != expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      list = query.call();
    }
    return list;
  }

  @Test
  @DisplayName("several instances, their statuses and metadata are exactly what the gateway reports")
  void plainClientSeesTheSame() throws Exception {
    gateway.register(service, new JsonObject().put("ip", "10.1.0.1").put("port", 8080).put("weight", 2.0)
        .put("metadata", new JsonObject().put("version", "1.4.2")));
    gateway.register(service, new JsonObject().put("ip", "10.1.0.2").put("port", 8080));
    gateway.register(service, new JsonObject().put("ip", "10.1.0.3").put("port", 8080).put("cluster", "east"));

    List<Instance> all = seen(() -> plain.getAllInstances(service, "DEFAULT_GROUP", false), 3);
    assertThat(all).extracting(Instance::getIp).containsExactlyInAnyOrder("10.1.0.1", "10.1.0.2", "10.1.0.3");
    Instance first = all.stream().filter(i -> i.getIp().equals("10.1.0.1")).findFirst().orElseThrow();
    assertThat(first.getWeight()).isEqualTo(2.0);
    assertThat(first.getMetadata()).containsEntry("version", "1.4.2").containsEntry("gateway.status", "UP");
    assertThat(all.stream().filter(i -> i.getIp().equals("10.1.0.3")).findFirst().orElseThrow().getClusterName())
        .isEqualTo("east");

    gateway.patch(path + "/10.1.0.1:8080/status", new JsonObject().put("status", "OUT_OF_SERVICE"));
    assertThat(seen(() -> plain.selectInstances(service, "DEFAULT_GROUP", true, false), 2))
        .extracting(Instance::getIp).containsExactlyInAnyOrder("10.1.0.2", "10.1.0.3");
    assertThat(gateway.get(path + "/10.1.0.1:8080").bodyAsJsonObject().getString("status")).isEqualTo("OUT_OF_SERVICE");

    gateway.delete(path + "/10.1.0.2:8080");
    assertThat(seen(() -> plain.getAllInstances(service, "DEFAULT_GROUP", false), 2))
        .extracting(Instance::getIp).containsExactlyInAnyOrder("10.1.0.1", "10.1.0.3");
    assertThat(gateway.delete(path + "/10.1.0.1:8080").statusCode()).isEqualTo(204);
    assertThat(gateway.delete(path + "/10.1.0.3:8080:east").statusCode()).isEqualTo(204);
    assertThat(seen(() -> plain.getAllInstances(service, "DEFAULT_GROUP", false), 0)).isEmpty();
  }

  @Test
  @DisplayName("instances registered by a plain client show up through the gateway")
  void gatewaySeesPlainClients() throws Exception {
    gateway.instances(service, "");
    plain.registerInstance(service, "10.2.0.1", 9000);
    gateway.eventually(() -> assertThat(ids(gateway.instances(service, ""))).containsExactly("10.2.0.1:9000"));
    plain.deregisterInstance(service, "10.2.0.1", 9000);
    gateway.eventually(() -> assertThat(ids(gateway.instances(service, ""))).isEmpty());
  }

  @Test
  @DisplayName("the services list pages right across Nacos's own pages (130 services, read 100 at a time)")
  void servicesArePaged() throws Exception {
    String prefix = "gw.it.page." + UUID.randomUUID().toString().substring(0, 8) + ".";
    List<String> names = java.util.stream.IntStream.range(0, 130).mapToObj(i -> prefix + String.format("%03d", i)).toList();
    for (String name : names) {
      plain.registerInstance(name, "10.4.0.1", 7000);
    }
    try {
      gateway.eventually(() -> assertThat(gateway.get(BASE + "/services?q=" + prefix).bodyAsJsonObject()
          .getInteger("total")).isEqualTo(130));
      JsonObject third = gateway.get(BASE + "/services?q=" + prefix + "&size=50&page=3").bodyAsJsonObject();
      assertThat(third.getInteger("total")).isEqualTo(130);
      assertThat(third.getJsonArray("services").stream().map(o -> ((JsonObject) o).getString("name")))
          .containsExactlyElementsOf(names.subList(100, 130));
      assertThat(third.getJsonArray("services").getJsonObject(0).getInteger("instanceCount")).isEqualTo(1);
      assertThat(gateway.get(BASE + "/services?q=" + prefix + "&size=50&page=4").bodyAsJsonObject()
          .getJsonArray("services")).isEmpty();
    } finally {
      for (String name : names) {
        plain.deregisterInstance(name, "10.4.0.1", 7000);
      }
    }
  }

  @Test
  @DisplayName("a status survives a gateway restart against the same Nacos")
  void statusSurvivesRestart() {
    gateway.register(service, new JsonObject().put("ip", "10.3.0.1").put("port", 8080).put("ephemeral", false));
    gateway.patch(path + "/10.3.0.1:8080/status", new JsonObject().put("status", "OUT_OF_SERVICE"));
    gateway.restart();
    gateway.eventually(() -> assertThat(gateway.get(path + "/10.3.0.1:8080").bodyAsJsonObject().getString("status"))
        .isEqualTo("OUT_OF_SERVICE"));
    assertThat(gateway.delete(path + "/10.3.0.1:8080").statusCode()).isEqualTo(204);
  }
}
