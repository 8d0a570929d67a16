package com.wz.gateway.http;

import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static com.wz.gateway.support.TestGateway.BASE;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxGuard.class)
@DisplayName("Bad input gets a clear 4xx problem and changes nothing")
class BadInputTest {

  private static final String ORDERS = BASE + "/services/orders/instances";
  private static final String ONE = ORDERS + "/10.1.0.1:9000";
  private static final String JSON = "application/json";

  @TempDir
  static Path dataDir;
  private static TestGateway gateway;
  private static String before;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(dataDir);
    gateway.register("orders", new JsonObject().put("ip", "10.1.0.1").put("port", 9000).put("ephemeral", false));
    before = state();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** Everything a client can see of the registry. */
  private static String state() {
    return gateway.get(BASE + "/services").bodyAsString() + gateway.get(ORDERS).bodyAsString();
  }

  static Stream<Arguments> badRequests() {
    String big = "{\"ip\":\"" + "a".repeat(70_000) + "\",\"port\":1}";
    return Stream.of(
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":", 400, "not valid JSON"),
        bad(HttpMethod.POST, ORDERS, JSON, "[1,2]", 400, "JSON object"),
        bad(HttpMethod.POST, ORDERS, JSON, "", 400, "JSON object body is required"),
        bad(HttpMethod.POST, ORDERS, JSON, "{}", 400, "ip is required"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\"}", 400, "port is required"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":0}", 400, "port must be between 1 and 65535"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":70000}", 400, "port must be between 1 and 65535"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":\"80\"}", 400, "port must be a whole number"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80.5}", 400, "port must be a whole number"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"999.1.1.1\",\"port\":80}", 400, "ip must be"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"not a host\",\"port\":80}", 400, "ip must be"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":42,\"port\":80}", 400, "ip must be a string"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"weight\":10001}", 400, "weight must be between"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"weight\":-1}", 400, "weight must be between"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"status\":\"SLEEPING\"}", 400, "status must be one of"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"ephemeral\":\"yes\"}", 400, "ephemeral must be true or false"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"cluster\":\"a b\"}", 400, "cluster must be"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"metadata\":[1]}", 400, "metadata must be an object"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"metadata\":{\"a\":{\"b\":1}}}", 400, "metadata.a must be"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"instanceId\":\"a/b\"}", 400, "instanceId must be"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"heartbeatIntervalSeconds\":0}", 400, "heartbeatIntervalSeconds must be between"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"healthCheck\":{\"type\":\"icmp\"}}", 400, "healthCheck.type must be"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"healthCheck\":{\"type\":\"http\",\"intervalSeconds\":2,\"timeoutSeconds\":5}}", 400, "healthCheck.timeoutSeconds"),
        bad(HttpMethod.POST, ORDERS, "text/plain", "{\"ip\":\"10.0.0.1\",\"port\":80}", 415, "must be JSON"),
        bad(HttpMethod.POST, ORDERS, "application/x-www-form-urlencoded", "ip=10.0.0.1&port=80", 415, "must be JSON"),
        bad(HttpMethod.POST, ORDERS, JSON, big, 413, "larger than 65536 bytes"),
        bad(HttpMethod.POST, BASE + "/services/bad%20name/instances", JSON, "{\"ip\":\"10.0.0.1\",\"port\":80}", 400, "service must be"),
        bad(HttpMethod.POST, BASE + "/services/" + "s".repeat(256) + "/instances", JSON, "{\"ip\":\"10.0.0.1\",\"port\":80}", 400, "service must be"),
        bad(HttpMethod.POST, BASE + "/services/a@@b/instances", JSON, "{\"ip\":\"10.0.0.1\",\"port\":80}", 400, "service must be"),
        bad(HttpMethod.POST, ORDERS + "?group=a%20b", JSON, "{\"ip\":\"10.0.0.1\",\"port\":80}", 400, "group must be"),
        bad(HttpMethod.POST, ORDERS, JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"group\":5}", 400, "group must be a string"),
        bad(HttpMethod.POST, ORDERS + "?group=blue", JSON, "{\"ip\":\"10.0.0.1\",\"port\":80,\"group\":\"green\"}", 400,
            "group is blue in the query but green in the body"),
        bad(HttpMethod.GET, BASE + "/services/%zz/instances", null, null, 400, "cannot be read"),
        bad(HttpMethod.DELETE, ORDERS + "/10.1.0.1%3", null, null, 400, "cannot be read"),
        bad(HttpMethod.PATCH, ONE + "/status", JSON, "{\"status\":\"up\"}", 400, "status must be one of"),
        bad(HttpMethod.PATCH, ONE + "/status", JSON, "{\"status\":3}", 400, "status is required"),
        bad(HttpMethod.PATCH, ONE + "/status", JSON, "nope", 400, "not valid JSON"),
        bad(HttpMethod.PATCH, ONE + "/status", "text/plain", "UP", 415, "must be JSON"),
        bad(HttpMethod.PATCH, ORDERS + "/10.9.9.9:1/status", JSON, "{\"status\":\"UP\"}", 404, "not registered"),
        bad(HttpMethod.PUT, ORDERS + "/10.9.9.9:1/heartbeat", null, null, 404, "not registered"),
        bad(HttpMethod.DELETE, ORDERS + "/10.9.9.9:1", null, null, 404, "not registered"),
        bad(HttpMethod.GET, ORDERS + "?healthy=maybe", null, null, 400, "healthy must be true or false"),
        bad(HttpMethod.GET, ORDERS + "?status=SLEEPING", null, null, 400, "status must be one of"),
        bad(HttpMethod.GET, ORDERS + "?cluster=a%20b", null, null, 400, "cluster must be"),
        bad(HttpMethod.GET, BASE + "/services?page=0", null, null, 400, "page must be"),
        bad(HttpMethod.GET, BASE + "/services?page=x", null, null, 400, "page must be a whole number"),
        bad(HttpMethod.GET, BASE + "/services?size=1001", null, null, 400, "size must be"),
        bad(HttpMethod.GET, BASE + "/services?size=0", null, null, 400, "size must be"),
        bad(HttpMethod.GET, BASE + "/services/orders/dependencies?transitive=yes", null, null, 400, "transitive must be"),
        bad(HttpMethod.POST, BASE + "/health/check", JSON, "{\"checks\":[\"no-such-check\"]}", 400, "unknown checks"),
        bad(HttpMethod.POST, BASE + "/health/check", JSON, "{\"checks\":\"registry\"}", 400, "checks must be a list"),
        bad(HttpMethod.GET, BASE + "/nothing-here", null, null, 404, "nothing is at"),
        bad(HttpMethod.GET, "/elsewhere", null, null, 404, "nothing is at"),
        bad(HttpMethod.PUT, ORDERS, JSON, "{}", 405, "not allowed"),
        bad(HttpMethod.DELETE, BASE + "/services", null, null, 405, "not allowed"));
  }

  private static Arguments bad(HttpMethod method, String path, String type, String body, int status, String detail) {
    return Arguments.of(method, path, type, body, status, detail);
  }

  @ParameterizedTest(name = "{0} {1} {3} -> {4}")
  @MethodSource("badRequests")
  void answersAProblem(HttpMethod method, String path, String type, String body, int status, String detail) {
    HttpResponse<Buffer> response = gateway.send(method, path, type, body == null ? null : Buffer.buffer(body));

    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("about:blank");
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).contains(detail);
    assertThat(problem.getString("instance")).isEqualTo(path.split("\\?")[0]);
    assertThat(state()).as("the registry after a refused request").isEqualTo(before);
  }

  @Test
  @DisplayName("field errors name each bad field at once")
  void namesEveryBadField() {
    HttpResponse<Buffer> response = gateway.post(ORDERS, new JsonObject().put("ip", "").put("port", -1).put("weight", "x"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("field"))).containsExactlyInAnyOrder("ip", "port", "weight");
  }
}
