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
import java.util.stream.Stream;

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
    Process gateway = start(log, Map.of(
        "GATEWAY_HTTP_PORT", String.valueOf(port),
        "GATEWAY_DATA_DIR", data.toString(),
        "GATEWAY_SELF_ENABLED", "true",
        "GATEWAY_SELF_IP", "127.0.0.1",
        "GATEWAY_SELF_EPHEMERAL", "false",
        "GATEWAY_SHUTDOWN_GRACE_PERIOD_MILLIS", "15000"));
    try {
      String base = "http://127.0.0.1:" + port;
      await(() -> status(base + "/health/ready") == 200, "ready");
      await(() -> body(base + "/api/v1/registry/services/registry-gateway/instances").contains("\"status\":\"UP\""),
          "registered itself UP");
      assertThat(body(base + "/api/v1/registry/openapi.yaml")).startsWith("openapi:");
      try (Stream<Path> unpacked = Files.walk(log.resolveSibling("tmp"))) {
        assertThat(unpacked.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
            .as("files Vert.x copied out of the jar to serve its resources (not its libraries)")
            .hasSizeLessThan(10);
      }
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

      exitsZero(gateway, System.nanoTime());
      assertThat(stored(data)).contains("slow").doesNotContain("registry-gateway");
      assertLoggedInOrder(log, "Own status is now OUT_OF_SERVICE", "Deregistered itself", "Stopped");
    } finally {
      gateway.destroyForcibly();
    }
  }

  @Test
  @DisplayName("a stop signal during start-up stops the gateway as soon as it has started, and it exits 0")
  void sigtermDuringStartUp(@TempDir Path dir) throws Exception {
    int clusterPort = freePort();
    Path log = dir.resolve("gateway.log");
    // a clustered start takes seconds (Hazelcast forms its cluster): a window to signal into
    Process gateway = start(log, Map.of(
        "GATEWAY_HTTP_PORT", String.valueOf(freePort()),
        "GATEWAY_DATA_DIR", dir.resolve("data").toString(),
        "GATEWAY_CLUSTER_ENABLED", "true",
        "GATEWAY_CLUSTER_PORT", String.valueOf(clusterPort),
        "GATEWAY_CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort));
    try {
      await(() -> logged(log, "Hazelcast Platform"), "Hazelcast starting");
      gateway.destroy();

      exitsZero(gateway, System.nanoTime());
      assertLoggedInOrder(log, "Stop signal during start-up", "listening on", "Stopped");
    } finally {
      gateway.destroyForcibly();
    }
  }

  @Test
  @DisplayName("a second signal ends a drain that waits for a stuck request at once; exit 0")
  void secondSigtermExitsAtOnce(@TempDir Path dir) throws Exception {
    int port = freePort();
    Process gateway = startWithGracePeriod(dir, port, 60_000);
    try (Socket stuck = stuckRequest(port, gateway)) {
      gateway.destroy();
      await(() -> refused(port), "draining");
      long second = System.nanoTime();
      gateway.destroy();

      assertThat(exitsZero(gateway, second)).isLessThan(Duration.ofSeconds(3));
    } finally {
      gateway.destroyForcibly();
    }
  }

  @Test
  @DisplayName("a drain ends when its grace period runs out, even with a request still stuck; exit 0")
  void gracePeriodRunsOut(@TempDir Path dir) throws Exception {
    int port = freePort();
    Process gateway = startWithGracePeriod(dir, port, 1500);
    try (Socket stuck = stuckRequest(port, gateway)) {
      long signalled = System.nanoTime();
      gateway.destroy();

      assertThat(exitsZero(gateway, signalled))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1500)).isLessThan(Duration.ofSeconds(8));
    } finally {
      gateway.destroyForcibly();
    }
  }

  private static Process startWithGracePeriod(Path dir, int port, long graceMillis) throws IOException {
    return start(dir.resolve("gateway.log"), Map.of(
        "GATEWAY_HTTP_PORT", String.valueOf(port),
        "GATEWAY_DATA_DIR", dir.resolve("data").toString(),
        "GATEWAY_SHUTDOWN_GRACE_PERIOD_MILLIS", String.valueOf(graceMillis)));
  }

  /** Waits for the process to end, checks it exited 0, and answers how long after {@code since} it ended. */
  private static Duration exitsZero(Process gateway, long since) throws InterruptedException {
    assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(gateway.exitValue()).as("exit code").isZero();
    return Duration.ofNanos(System.nanoTime() - since);
  }

  /** The packaged gateway on loopback with {@code env} over its defaults, its output in {@code log}. */
  private static Process start(Path log, Map<String, String> env) throws IOException {
    Path tmp = Files.createDirectories(log.resolveSibling("tmp"));
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + tmp, "-jar", "target/registry-gateway.jar")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("GATEWAY_HTTP_HOST", "127.0.0.1");
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Once the gateway is ready: a registration whose body never finishes arriving. */
  private Socket stuckRequest(int port, Process gateway) throws Exception {
    await(() -> status("http://127.0.0.1:" + port + "/health/ready") == 200 || !gateway.isAlive(), "ready");
    Socket socket = new Socket("127.0.0.1", port);
    socket.getOutputStream().write(("POST /api/v1/registry/services/stuck/instances HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ip\":").getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    Thread.sleep(300);
    return socket;
  }

  private static boolean logged(Path log, String text) {
    try {
      return Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** The services of the persistent instances the gateway's store holds now. */
  private static List<String> stored(Path data) {
    return new InstanceStore(data).load().instances().stream().map(ServiceInstance::service).toList();
  }

  /** Each of {@code texts} is in the log, each on a line after the one before it. */
  private static void assertLoggedInOrder(Path log, String... texts) throws IOException {
    List<String> lines = Files.readAllLines(log);
    int previous = -1;
    for (String text : texts) {
      int at = previous + 1;
      while (at < lines.size() && !lines.get(at).contains(text)) {
        at++;
      }
      assertThat(at).as("'%s' logged after line %d", text, previous).isLessThan(lines.size());
      previous = at;
    }
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
