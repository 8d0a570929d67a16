package com.wz.gateway.registry.embedded;

import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.wz.gateway.support.TestGateway.ids;
import static com.wz.gateway.support.TestGateway.BASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxGuard.class)
@DisplayName("Persistent instances survive restarts; nothing is lost or torn")
class PersistenceTest {

  private static final String PAY = BASE + "/services/pay/instances";

  @TempDir
  Path dataDir;

  private static JsonObject persistent(String ip) {
    return new JsonObject().put("ip", ip).put("port", 1).put("ephemeral", false)
        .put("metadata", new JsonObject().put("version", "1.4.2")).put("weight", 3.5);
  }

  @Test
  @DisplayName("after a restart: persistent instances are all there as they were, ephemeral ones are gone")
  void survivesRestart() {
    try (TestGateway gateway = TestGateway.start(dataDir)) {
      gateway.register("pay", persistent("10.0.0.1"));
      gateway.register("pay", persistent("10.0.0.2"));
      gateway.register("pay", persistent("10.0.0.3"));
      gateway.register("pay", new JsonObject().put("ip", "10.0.0.9").put("port", 1));
      gateway.patch(PAY + "/10.0.0.2:1/status", new JsonObject().put("status", "OUT_OF_SERVICE"));
      gateway.delete(PAY + "/10.0.0.3:1");
      JsonObject before = gateway.instances("pay", "");

      gateway.restart();

      JsonObject after = gateway.instances("pay", "");
      assertThat(ids(after)).containsExactly("10.0.0.1:1", "10.0.0.2:1");
      assertThat(after.getJsonArray("instances").getJsonObject(0))
          .isEqualTo(before.getJsonArray("instances").getJsonObject(0));
      assertThat(after.getJsonArray("instances").getJsonObject(1).getString("status")).isEqualTo("OUT_OF_SERVICE");
    }
  }

  @Test
  @DisplayName("turning a persistent instance ephemeral takes it off disk")
  void persistentToEphemeral() {
    try (TestGateway gateway = TestGateway.start(dataDir)) {
      gateway.register("pay", persistent("10.0.0.1"));
      gateway.register("pay", persistent("10.0.0.1").put("ephemeral", true));
      gateway.restart();
      assertThat(gateway.instances("pay", "").getJsonArray("instances")).isEmpty();
    }
  }

  @Test
  @DisplayName("a journal entry torn by a crash (a half-written last line) is dropped; everything before it loads")
  void tornJournalEntryDropped() throws Exception {
    try (TestGateway gateway = TestGateway.start(dataDir)) {
      gateway.register("pay", persistent("10.0.0.1"));
      gateway.register("pay", persistent("10.0.0.2"));
      gateway.stopGateway();
      Files.writeString(dataDir.resolve("instances.journal"), "{\"revision\":9999999999999999999,\"put\":{\"ip\":",
          java.nio.file.StandardOpenOption.APPEND);
      gateway.restart();
      assertThat(ids(gateway.instances("pay", ""))).containsExactly("10.0.0.1:1", "10.0.0.2:1");
      gateway.register("pay", persistent("10.0.0.3"));
      gateway.restart();
      assertThat(ids(gateway.instances("pay", ""))).containsExactly("10.0.0.1:1", "10.0.0.2:1", "10.0.0.3:1");
    }
  }

  @Test
  @DisplayName("a long journal is folded into a new snapshot, and the state is the same after a restart")
  void compaction() throws Exception {
    try (TestGateway gateway = TestGateway.start(dataDir)) {
      gateway.register("pay", persistent("10.0.0.1"));
      for (int i = 0; i < 1100; i++) {
        gateway.patch(PAY + "/10.0.0.1:1/status", new JsonObject().put("status", i % 2 == 0 ? "DOWN" : "UP"));
      }
      assertThat(Files.readAllLines(dataDir.resolve("instances.journal")).size()).isLessThan(200);
      assertThat(Files.readString(dataDir.resolve("instances.json"))).contains("10.0.0.1");
      gateway.restart();
      assertThat(gateway.get(PAY + "/10.0.0.1:1").bodyAsJsonObject().getString("status")).isEqualTo("UP");
    }
  }

  @Test
  @DisplayName("a snapshot torn by a crash (a leftover temporary file) is ignored; the last complete state loads")
  void tornWriteIgnored() throws Exception {
    try (TestGateway gateway = TestGateway.start(dataDir)) {
      gateway.register("pay", persistent("10.0.0.1"));
      gateway.stopGateway();
      Files.writeString(dataDir.resolve("instances.json.tmp"), "{\"format\":1,\"instances\":[{\"ip\":");
      gateway.restart();
      assertThat(ids(gateway.instances("pay", ""))).containsExactly("10.0.0.1:1");
    }
  }

  @Test
  @DisplayName("a store that cannot be read stops the start-up with a clear error instead of starting empty")
  void corruptStoreRefused() throws Exception {
    Files.writeString(dataDir.resolve("instances.json"), "{not json");
    assertThatThrownBy(() -> TestGateway.start(dataDir)).hasMessageContaining("instances.json");
  }

  @Test
  @DisplayName("when the store cannot be written, the change is refused with 503 and not applied")
  void failedWriteRefused() throws Exception {
    try (TestGateway gateway = TestGateway.start(dataDir)) {
      gateway.register("pay", new JsonObject().put("ip", "10.0.0.9").put("port", 1));
      Files.createDirectories(dataDir.resolve("instances.journal"));
      HttpResponse<Buffer> refused = gateway.post(PAY, persistent("10.0.0.2"));
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.getHeader("Retry-After")).isNotNull();
      assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(ids(gateway.instances("pay", ""))).containsExactly("10.0.0.9:1");

      gateway.stopGateway();
      Files.delete(dataDir.resolve("instances.journal"));
      gateway.restart();
      assertThat(gateway.post(PAY, persistent("10.0.0.2")).statusCode()).isEqualTo(201);
      gateway.restart();
      assertThat(ids(gateway.instances("pay", ""))).containsExactly("10.0.0.2:1");
    }
  }
}
