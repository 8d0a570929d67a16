package com.wz.gateway.bench;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.naming.NamingService;
import com.alibaba.nacos.api.naming.pojo.Instance;
import com.wz.gateway.Gateway;
import com.wz.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Nacos outage, end to end: the gateway (its defaults, Nacos backend) holds registrations; Nacos
 * is stopped; the drill checks what clients get meanwhile (ready 503, stale reads, fast 503 writes),
 * starts Nacos again and times, from the moment Nacos answers again, when the gateway is ready,
 * reads fresh, has its registrations back in Nacos (as a plain nacos-client sees them) and takes writes.
 * Usage: {@code NacosOutageDrill <outage seconds>}, with NACOS_SERVER_ADDR, NACOS_STOP and NACOS_START set.
 */
public final class NacosOutageDrill {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final long START = System.nanoTime();

  public static void main(String[] args) throws Exception {
    int outageSeconds = Integer.parseInt(args[0]);
    String nacos = System.getenv("NACOS_SERVER_ADDR");
    Path data = Files.createTempDirectory("nacos-drill");
    int port = 20000 + (int) (Math.random() * 10000);
    Vertx vertx = Vertx.vertx();
    GatewayConfig config = GatewayConfig.load(vertx, Map.of("GATEWAY_HTTP_HOST", "127.0.0.1",
        "GATEWAY_HTTP_PORT", String.valueOf(port), "GATEWAY_DATA_DIR", data.toString(),
        "GATEWAY_REGISTRY_BACKEND", "nacos", "NACOS_SERVER_ADDR", nacos,
        "GATEWAY_REGISTRY_NACOS_CACHE_DIR", data.resolve("nacos").toString(),
        "GATEWAY_REGISTRY_NACOS_LOG_DIR", data.resolve("logs").toString())).await(30, TimeUnit.SECONDS);
    Gateway gateway = Gateway.start(vertx, config, Clock.systemUTC()).await(60, TimeUnit.SECONDS);
    String base = "http://127.0.0.1:" + port;
    String service = "drill." + UUID.randomUUID().toString().substring(0, 8);
    String persistentService = service + ".persistent";
    String instances = base + "/api/v1/registry/services/" + service + "/instances";

    for (int i = 1; i <= 3; i++) {
      expect(201, post(instances, "{\"ip\":\"10.8.0." + i + "\",\"port\":8080}"));
    }
    expect(201, post(base + "/api/v1/registry/services/" + persistentService + "/instances",
        "{\"ip\":\"10.8.1.1\",\"port\":8080,\"ephemeral\":false,\"status\":\"OUT_OF_SERVICE\"}"));
    Thread heartbeats = heartbeats(instances, 3);
    NamingService before = NacosFactory.createNamingService(nacos);
    await("Nacos shows the 3 instances", 10, () -> count(before, service) == 3);
    before.shutDown();
    expect(200, get(instances));
    System.out.printf("registered 3 ephemeral instances of %s and 1 persistent one of %s; stopping Nacos%n",
        service, persistentService);

    run(System.getenv("NACOS_STOP")).waitFor(60, TimeUnit.SECONDS);
    long stopped = System.nanoTime();
    await("readiness 503", 30, () -> status(get(base + "/health/ready")) == 503);
    report("readiness DOWN", stopped);
    await("stale reads", 30, () -> get(instances).body().contains("\"stale\":true"));
    report("reads marked stale", stopped);
    long writeAt = System.nanoTime();
    Answer refused = post(instances, "{\"ip\":\"10.8.0.9\",\"port\":8080}");
    long readAt = System.nanoTime();
    Answer stale = get(instances);
    System.out.printf("during the outage: a write answered %d (Retry-After %s) in %.0f ms; a read answered %d in %.0f ms"
            + " with %d instances%n", refused.status(), refused.retryAfter(), millis(writeAt), stale.status(),
        millis(readAt), stale.body().split("\"instanceId\"").length - 1);
    Thread.sleep(outageSeconds * 1000L);

    run(System.getenv("NACOS_START"));
    await("Nacos takes connections again", 180, () -> grpcListens(nacos));
    long back = System.nanoTime();
    report("Nacos takes connections (t=0 below)", stopped);
    NamingService after = NacosFactory.createNamingService(nacos);
    boolean[] seen = new boolean[5];
    await("gateway fully back", 60, () -> {
      seen[4] = seen[4] || mark("Nacos's own readiness check", back, nacosReady(nacos));
      seen[0] = seen[0] || mark("gateway ready", back, status(get(base + "/health/ready")) == 200);
      seen[1] = seen[1] || mark("fresh reads", back, get(instances).body().contains("\"stale\":false"));
      seen[2] = seen[2] || mark("registrations back in Nacos", back,
          count(after, service) == 3 && count(after, persistentService) == 1);
      seen[3] = seen[3] || mark("a write taken", back,
          status(post(instances, "{\"ip\":\"10.8.0.9\",\"port\":8080}")) == 201);
      return seen[0] && seen[1] && seen[2] && seen[3] && seen[4];
    });
    heartbeats.interrupt();
    for (String id : List.of("10.8.0.1:8080", "10.8.0.2:8080", "10.8.0.3:8080", "10.8.0.9:8080")) {
      delete(instances + "/" + id);
    }
    delete(base + "/api/v1/registry/services/" + persistentService + "/instances/10.8.1.1:8080");
    after.shutDown();
    gateway.stop().eventually(vertx::close).await(30, TimeUnit.SECONDS);
    System.exit(0);
  }

  /** The instances keep their leases, as their clients would. */
  private static Thread heartbeats(String instances, int count) {
    Thread thread = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        for (int i = 1; i <= count; i++) {
          send(HttpRequest.newBuilder(URI.create(instances + "/10.8.0." + i + ":8080/heartbeat"))
              .PUT(HttpRequest.BodyPublishers.noBody()));
        }
        try {
          Thread.sleep(5000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heartbeats");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** The server's gRPC port (its HTTP port + 1000) takes connections: the earliest a client can be served. */
  private static boolean grpcListens(String addr) {
    String[] hostPort = addr.split(",")[0].trim().split(":");
    try (Socket grpc = new Socket()) {
      grpc.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]) + 1000), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Nacos's own readiness endpoint (3.x, or 2.x) says ready. */
  private static boolean nacosReady(String addr) {
    String root = "http://" + addr.split(",")[0].trim() + "/nacos";
    return status(get(root + "/v3/admin/core/state/readiness")) == 200
        || status(get(root + "/v1/console/health/readiness")) == 200;
  }

  private static int count(NamingService naming, String service) {
    try {
      return naming.getAllInstances(service, "DEFAULT_GROUP", false).size();
    } catch (Exception e) {
      return -1;
    }
  }

  private static boolean mark(String what, long since, boolean done) {
    if (done) {
      report(what, since);
    }
    return done;
  }

  private static void report(String what, long since) {
    System.out.printf("%-34s after %6.2f s%n", what, (System.nanoTime() - since) / 1e9);
  }

  private static double millis(long since) {
    return (System.nanoTime() - since) / 1e6;
  }

  private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("never within " + seconds + " s: " + what + " (at "
            + (System.nanoTime() - START) / 1_000_000_000 + " s)");
      }
      Thread.sleep(50);
    }
  }

  private static Process run(String command) throws IOException {
    return new ProcessBuilder("bash", "-c", command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/nacos-drill-commands.log"))).start();
  }

  private static void expect(int status, Answer answer) {
    if (answer.status() != status) {
      throw new IllegalStateException("expected " + status + ", got " + answer.status() + ": " + answer.body());
    }
  }

  private static int status(Answer answer) {
    return answer.status();
  }

  private static Answer get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  private static Answer post(String url, String json) {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static void delete(String url) {
    send(HttpRequest.newBuilder(URI.create(url)).DELETE());
  }

  /** What an HTTP request got: status 0 when it could not be made. */
  private record Answer(int status, String body, String retryAfter) {
  }

  private static Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body(),
          response.headers().firstValue("Retry-After").orElse("-"));
    } catch (IOException e) {
      return new Answer(0, "", "-");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "", "-");
    }
  }
}
