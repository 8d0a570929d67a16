package com.wz.gateway;

import com.wz.gateway.registry.ServiceInstance;
import com.wz.gateway.registry.embedded.InstanceStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.wz.gateway.support.TestGateway.freePort;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The packaged gateway shuts down gracefully on SIGTERM")
class GracefulShutdownIT {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  @DisplayName("a request in flight completes, the gateway deregisters itself, and it exits 0")
  void sigterm(@TempDir Path dir) throws Exception {
    int port = freePort();
    Path data = dir.resolve("data");
    Path log = dir.resolve("gateway.log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", "target/registry-gateway.jar")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(Map.of(
        "GATEWAY_HTTP_HOST", "127.0.0.1",
        "GATEWAY_HTTP_PORT", String.valueOf(port),
        "GATEWAY_DATA_DIR", data.toString(),
        "GATEWAY_SELF_ENABLED", "true",
        "GATEWAY_SELF_IP", "127.0.0.1",
        "GATEWAY_SELF_EPHEMERAL", "false",
        "GATEWAY_SHUTDOWN_GRACE_PERIOD_MILLIS", "15000"));
    Process gateway = builder.start();
    try {
      String base = "http://127.0.0.1:" + port;
      await(() -> status(base + "/health/ready") == 200, "ready");
      await(() -> body(base + "/api/v1/registry/services/registry-gateway/instances").contains("\"status\":\"UP\""),
          "registered itself UP");
      assertThat(stored(data)).contains("registry-gateway");

      String json = "{\"ip\":\"10.0.0.42\",\"port\":8080,\"ephemeral\":false}";
      try (Socket slow = new Socket("127.0.0.1", port)) {
        OutputStream out = slow.getOutputStream();
        out.write(("POST /api/v1/registry/services/slow/instances HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nContent-Length: " + json.length() + "\r\n\r\n"
            + json.substring(0, 10)).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(300);

        gateway.destroy();
        await(() -> refused(port), "new connections refused while the request is in flight");
        assertThat(gateway.isAlive()).isTrue();

        out.write(json.substring(10).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String statusLine = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII))
            .readLine();
        assertThat(statusLine).isEqualTo("HTTP/1.1 201 Created");
      }

      assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(gateway.exitValue()).isZero();
      assertThat(stored(data)).contains("slow").doesNotContain("registry-gateway");
      List<String> lines = Files.readAllLines(log);
      assertThat(lines).anyMatch(l -> l.contains("Own status is now OUT_OF_SERVICE"));
      assertThat(indexOf(lines, "Own status is now OUT_OF_SERVICE")).isLessThan(indexOf(lines, "Deregistered itself"));
      assertThat(indexOf(lines, "Deregistered itself")).isLessThan(indexOf(lines, "Stopped"));
    } finally {
      gateway.destroyForcibly();
    }
  }

  /** The services of the persistent instances the gateway's store holds now. */
  private static List<String> stored(Path data) {
    return new InstanceStore(data).load().instances().stream().map(ServiceInstance::service).toList();
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }

  private int status(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String body(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static boolean refused(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("never: " + what);
      }
      Thread.sleep(50);
    }
  }
}
