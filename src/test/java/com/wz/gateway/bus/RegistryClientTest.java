package com.wz.gateway.bus;

import com.wz.gateway.registry.InstanceStatus;
import com.wz.gateway.registry.RegistryEvent;
import com.wz.gateway.registry.RegistryException;
import com.wz.gateway.registry.ServiceKey;
import com.wz.gateway.registry.ServiceQuery;
import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.wz.gateway.support.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxGuard.class)
@DisplayName("The registry on the event bus")
class RegistryClientTest {

  private static final ServiceKey PAY = ServiceKey.of("DEFAULT_GROUP", "pay");

  @TempDir
  Path dataDir;
  private TestGateway gateway;
  private RegistryClient client;

  @BeforeEach
  void start() {
    gateway = TestGateway.start(dataDir);
    client = new RegistryClient(gateway.vertx, 2000);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  @DisplayName("every change is published in order with growing revisions")
  void changesArePublished() throws Exception {
    List<RegistryEvent> events = new CopyOnWriteArrayList<>();
    await(client.onChange(events::add).completion());

    await(client.register("pay", null, new JsonObject().put("ip", "10.0.0.1").put("port", 1)));
    await(client.updateStatus(PAY, "10.0.0.1:1", InstanceStatus.DOWN));
    await(client.deregister(PAY, "10.0.0.1:1"));

    long deadline = System.currentTimeMillis() + 5000;
    while (events.size() < 3 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertThat(events).extracting(RegistryEvent::type).containsExactly(
        RegistryEvent.Type.REGISTERED, RegistryEvent.Type.UPDATED, RegistryEvent.Type.DEREGISTERED);
    assertThat(events).extracting(RegistryEvent::revision).isSorted().doesNotHaveDuplicates();
    assertThat(events.get(1).previousStatus()).isEqualTo(InstanceStatus.UP);
    assertThat(events.get(1).instance().status()).isEqualTo(InstanceStatus.DOWN);
    assertThat(events.get(2).reason()).isEqualTo("deregistered");
  }

  @Test
  @DisplayName("reads answer what HTTP answers")
  void reads() {
    await(client.register("pay", null, new JsonObject().put("ip", "10.0.0.1").put("port", 1)));
    assertThat(await(client.instances(PAY)).instances()).extracting(i -> i.instanceId()).containsExactly("10.0.0.1:1");
    assertThat(await(client.services(new ServiceQuery("DEFAULT_GROUP", null, 1, 10))).total()).isEqualTo(1);
    assertThat(await(client.ping()).getString("backend")).isEqualTo("embedded");
  }

  @Test
  @DisplayName("refusals carry the HTTP status and the same detail and field errors")
  void failuresCarryCodes() {
    assertThatThrownBy(() -> await(client.deregister(PAY, "10.9.9.9:1")))
        .cause().isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> await(client.register("pay", null, new JsonObject().put("ip", "10.0.0.1").put("port", 0))))
        .cause().isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.errors()).extracting(RegistryException.FieldError::field).containsExactly("port");
        });
    assertThatThrownBy(() -> await(client.updateStatus(PAY, "10.9.9.9:1", "SLEEPING")))
        .cause().isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  @DisplayName("a malformed message is refused with 400, not left unanswered")
  void malformedMessages() {
    assertThatThrownBy(() -> await(gateway.vertx.eventBus().request(Addresses.REGISTER, "not json")))
        .cause().isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
    assertThatThrownBy(() -> await(gateway.vertx.eventBus().request(Addresses.REGISTER,
            new JsonObject().put("service", 5).put("instance", new JsonObject()))))
        .cause().isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
  }

  @Test
  @DisplayName("health results are published for subscribers")
  void healthResultsPublished() throws Exception {
    List<JsonObject> results = new CopyOnWriteArrayList<>();
    await(gateway.vertx.eventBus().<JsonObject>consumer(Addresses.HEALTH_RESULTS, m -> results.add(m.body())).completion());
    gateway.undeployRegistry();
    long deadline = System.currentTimeMillis() + 5000;
    while (results.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(results).isNotEmpty();
    assertThat(results.get(0).getString("status")).isEqualTo("DOWN");
  }
}
