package com.wz.gateway.config;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static com.wz.gateway.support.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Configuration: shipped defaults, YAML file, environment variables")
class GatewayConfigTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  @DisplayName("with nothing set: port 8080, embedded registry, data in ./data, Nacos lease defaults")
  void defaults() {
    GatewayConfig config = await(GatewayConfig.load(vertx, Map.of()));
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().bodyLimitBytes()).isEqualTo(65536);
    assertThat(config.registry().backend()).isEqualTo("embedded");
    assertThat(config.registry().group()).isEqualTo("DEFAULT_GROUP");
    assertThat(config.dataDir()).isEqualTo(Path.of("data"));
    assertThat(config.registry().lease()).isEqualTo(new LeaseConfig(5, 15, 30, 1000, 5000));
  }

  @Test
  @DisplayName("the contract's variable names override the file")
  void contractVariables() {
    GatewayConfig config = await(GatewayConfig.load(vertx, Map.of(
        "GATEWAY_HTTP_HOST", "127.0.0.1",
        "GATEWAY_HTTP_PORT", "9090",
        "GATEWAY_DATA_DIR", "/var/lib/gw",
        "GATEWAY_REGISTRY_BACKEND", "nacos",
        "NACOS_SERVER_ADDR", "10.0.0.1:8848,10.0.0.2:8848",
        "NACOS_NAMESPACE", "prod",
        "NACOS_GROUP", "TEAM_GROUP",
        "NACOS_USERNAME", "gw",
        "NACOS_PASSWORD", "s3cret")));
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/gw"));
    assertThat(config.registry().backend()).isEqualTo("nacos");
    assertThat(config.registry().group()).isEqualTo("TEAM_GROUP");
    NacosConfig nacos = config.registry().nacos();
    assertThat(nacos.serverAddr()).isEqualTo("10.0.0.1:8848,10.0.0.2:8848");
    assertThat(nacos.namespace()).isEqualTo("prod");
    assertThat(nacos.username()).isEqualTo("gw");
    assertThat(nacos.password()).isEqualTo("s3cret");
    assertThat(nacos.toString()).doesNotContain("s3cret");
  }

  @Test
  @DisplayName("any setting can be set as GATEWAY_ + its path in UPPER_SNAKE_CASE")
  void everySetting() {
    assertThat(EnvOverrides.variableName("registry.lease.removeAfterSeconds"))
        .isEqualTo("GATEWAY_REGISTRY_LEASE_REMOVE_AFTER_SECONDS");
    GatewayConfig config = await(GatewayConfig.load(vertx, Map.of(
        "GATEWAY_REGISTRY_LEASE_REMOVE_AFTER_SECONDS", "90",
        "GATEWAY_HTTP_BODY_LIMIT_BYTES", "2048")));
    assertThat(config.registry().lease().removeAfterSeconds()).isEqualTo(90);
    assertThat(config.http().bodyLimitBytes()).isEqualTo(2048);
  }

  @Test
  @DisplayName("GATEWAY_CONFIG names the YAML file, which overrides the defaults")
  void ownFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gw.yaml");
    Files.writeString(file, "http:\n  port: 7000\nregistry:\n  group: OPS\n");
    GatewayConfig config = await(GatewayConfig.load(vertx, Map.of("GATEWAY_CONFIG", file.toString())));
    assertThat(config.http().port()).isEqualTo(7000);
    assertThat(config.registry().group()).isEqualTo("OPS");
    assertThat(config.registry().lease().heartbeatIntervalSeconds()).isEqualTo(5);
  }

  @Test
  @DisplayName("Nacos servers: serverPort is the port of every host that names none; NACOS_SERVER_PORT sets it")
  void nacosServerPort() {
    NacosConfig nacos = await(GatewayConfig.load(vertx, Map.of(
        "NACOS_SERVER_ADDR", "nacos-1, nacos-2:9000,[fd00::7],[fd00::8]:9001",
        "NACOS_SERVER_PORT", "8850"))).registry().nacos();
    assertThat(nacos.servers()).isEqualTo("nacos-1:8850,nacos-2:9000,[fd00::7]:8850,[fd00::8]:9001");
    assertThat(await(GatewayConfig.load(vertx, Map.of())).registry().nacos().servers()).isEqualTo("127.0.0.1:8848");
    assertThatThrownBy(() -> await(GatewayConfig.load(vertx, Map.of("NACOS_SERVER_PORT", "0"))))
        .hasMessageContaining("registry.nacos.serverPort");
  }

  @Test
  @DisplayName("a setting the gateway does not know is reported, with the known setting of that name")
  void unknownSettings(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gw.yaml");
    Files.writeString(file, "http:\n  prot: 7000\nregistry:\n  nacos:\n    group: OPS\n"
        + "self:\n  metadata:\n    team: auth\n");
    JsonObject defaults = await(GatewayConfig.loadTree(vertx, Map.of()));
    JsonObject tree = await(GatewayConfig.loadTree(vertx, Map.of("GATEWAY_CONFIG", file.toString())));
    assertThat(GatewayConfig.unknownSettings(defaults, tree)).containsExactly(
        "Unknown setting http.prot is ignored",
        "Unknown setting registry.nacos.group is ignored; did you mean registry.group?");
  }

  @Test
  @DisplayName("bad values stop the start-up with a message naming the setting")
  void badValues(@TempDir Path dir) {
    assertThatThrownBy(() -> await(GatewayConfig.load(vertx, Map.of("GATEWAY_HTTP_PORT", "eighty"))))
        .hasMessageContaining("GATEWAY_HTTP_PORT");
    assertThatThrownBy(() -> await(GatewayConfig.load(vertx, Map.of("GATEWAY_REGISTRY_BACKEND", "zookeeper"))))
        .hasMessageContaining("registry.backend");
    assertThatThrownBy(() -> await(GatewayConfig.load(vertx, Map.of("GATEWAY_CONFIG", dir.resolve("none.yaml").toString()))))
        .hasMessageContaining("none.yaml");
  }
}
