package com.wz.gateway.bus;

import com.wz.gateway.ClusterSupport;
import com.wz.gateway.Gateway;
import com.wz.gateway.config.ClusterConfig;
import com.wz.gateway.config.GatewayConfig;
import com.wz.gateway.registry.RegistryEvent;
import com.wz.gateway.registry.ServiceKey;
import com.wz.gateway.support.MutableClock;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.wz.gateway.support.TestGateway.await;
import static com.wz.gateway.support.TestGateway.freePort;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Clustered mode: two Vert.x nodes on loopback")
class ClusterTest {

  @TempDir
  Path dataDir;

  @Test
  @DisplayName("a consumer on node B sees changes made through node A's HTTP API and calls the registry across nodes")
  void acrossNodes() throws Exception {
    String name = "gw-test-" + UUID.randomUUID();
    int portA = freePort();
    int portB = freePort();
    Vertx nodeA = await(ClusterSupport.clustered(new VertxOptions(),
        new ClusterConfig(true, name, "127.0.0.1", portA, List.of("127.0.0.1:" + portB))));
    Vertx nodeB = await(ClusterSupport.clustered(new VertxOptions(),
        new ClusterConfig(true, name, "127.0.0.1", portB, List.of("127.0.0.1:" + portA))));
    try {
      GatewayConfig config = TestGateway.config(dataDir, c -> c);
      Gateway gateway = await(Gateway.start(nodeA, config, MutableClock.startingNow()));
      WebClient http = WebClient.create(nodeA);

      RegistryClient remote = new RegistryClient(nodeB, 10_000);
      List<RegistryEvent> seenOnB = new CopyOnWriteArrayList<>();
      await(remote.onChange(seenOnB::add).completion());

      await(http.post(config.http().port(), "127.0.0.1", "/api/v1/registry/services/pay/instances")
          .sendJsonObject(new JsonObject().put("ip", "10.0.0.1").put("port", 8080)));
      long deadline = System.currentTimeMillis() + 10_000;
      while (seenOnB.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(seenOnB).extracting(RegistryEvent::type).containsExactly(RegistryEvent.Type.REGISTERED);
      assertThat(seenOnB.get(0).instance().ip()).isEqualTo("10.0.0.1");

      RegistryClient.Change change = await(remote.register("pay", null,
          new JsonObject().put("ip", "10.0.0.2").put("port", 8080)));
      assertThat(change.created()).isTrue();
      assertThat(await(remote.instances(ServiceKey.of("DEFAULT_GROUP", "pay"))).instances())
          .extracting(i -> i.ip()).containsExactly("10.0.0.1", "10.0.0.2");
      JsonObject viaHttp = await(http.get(config.http().port(), "127.0.0.1", "/api/v1/registry/services/pay/instances")
          .send()).bodyAsJsonObject();
      assertThat(viaHttp.getJsonArray("instances")).hasSize(2);

      http.close();
      await(gateway.stop());
    } finally {
      await(nodeB.close());
      await(nodeA.close());
    }
  }
}
