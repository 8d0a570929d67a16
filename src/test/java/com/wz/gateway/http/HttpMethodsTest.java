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

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static com.wz.gateway.support.TestGateway.BASE;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxGuard.class)
@DisplayName("HTTP methods: HEAD where GET is, OPTIONS and Allow name what a path takes")
class HttpMethodsTest {

  private static final String ORDERS = BASE + "/services/orders/instances";

  @TempDir
  static Path dataDir;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(dataDir);
    gateway.register("orders", new JsonObject().put("ip", "10.1.0.1").put("port", 9000));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  @DisplayName("HEAD answers what GET answers, headers only")
  void headIsGetWithoutABody() {
    HttpResponse<Buffer> get = gateway.get(ORDERS);
    HttpResponse<Buffer> head = gateway.send(HttpMethod.HEAD, ORDERS, null, null);

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("ETag")).isEqualTo(get.getHeader("ETag"));
    assertThat(head.getHeader("Content-Type")).isEqualTo(get.getHeader("Content-Type"));
    assertThat(head.body()).isNull();
    assertThat(gateway.send(HttpMethod.HEAD, "/health/ready", null, null).statusCode()).isEqualTo(200);
    assertThat(gateway.send(HttpMethod.HEAD, ORDERS + "/10.9.9.9:1", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("OPTIONS names the methods of a path; a 405 names them in Allow")
  void optionsAndAllow() {
    HttpResponse<Buffer> options = gateway.send(HttpMethod.OPTIONS, ORDERS, null, null);
    assertThat(options.statusCode()).isEqualTo(204);
    assertThat(options.getHeader("Allow")).isEqualTo("GET, HEAD, OPTIONS, POST");
    assertThat(gateway.send(HttpMethod.OPTIONS, ORDERS + "/10.1.0.1:9000", null, null).getHeader("Allow"))
        .isEqualTo("DELETE, GET, HEAD, OPTIONS");

    HttpResponse<Buffer> refused = gateway.send(HttpMethod.DELETE, BASE + "/services", null, null);
    assertThat(refused.statusCode()).isEqualTo(405);
    assertThat(refused.getHeader("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    assertThat(gateway.send(HttpMethod.PUT, ORDERS + "/10.1.0.1:9000/status", "application/json",
        Buffer.buffer("{}")).getHeader("Allow")).isEqualTo("OPTIONS, PATCH");

    HttpResponse<Buffer> nowhere = gateway.send(HttpMethod.OPTIONS, BASE + "/nothing-here", null, null);
    assertThat(nowhere.statusCode()).isEqualTo(404);
    assertThat(nowhere.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  @DisplayName("a request without a Host header is a 400 problem, not a 500")
  void noHostHeader() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + ORDERS + " HTTP/1.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 400 ");
      assertThat(response).contains("application/problem+json").contains("Host");
    }
  }
}
