package com.wz.gateway.bench;

import com.wz.gateway.Gateway;
import com.wz.gateway.bus.RegistryClient;
import com.wz.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How long a change takes to reach watchers: for each registration over HTTP, the time until its
 * 201, until its event reaches an event-bus consumer, and until it reaches an SSE client, on the
 * embedded backend, after as many warm-up registrations. The 201 round trip is the baseline of the same run.
 * Usage: {@code FeedLatencyBenchmark <registrations> <per second>}.
 */
public final class FeedLatencyBenchmark {

  /** PERSISTENT=true registers persistent instances: every change then also waits for its journal entry on disk. */
  private static final boolean PERSISTENT = Boolean.getBoolean("persistent");

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    int rate = Integer.parseInt(args[1]);
    Path data = Files.createTempDirectory("feed-bench");
    Vertx vertx = Vertx.vertx();
    int port = 20000 + (int) (Math.random() * 10000);
    GatewayConfig config = GatewayConfig.load(vertx, Map.of("GATEWAY_HTTP_HOST", "127.0.0.1",
        "GATEWAY_HTTP_PORT", String.valueOf(port), "GATEWAY_DATA_DIR", data.toString())).await(30, TimeUnit.SECONDS);
    Gateway gateway = Gateway.start(vertx, config, Clock.systemUTC()).await(60, TimeUnit.SECONDS);

    Map<String, Long> sent = new ConcurrentHashMap<>();
    long[] reply = new long[count];
    long[] bus = new long[count];
    long[] sse = new long[count];
    CountDownLatch done = new CountDownLatch(count * 3);

    new RegistryClient(vertx, 5000).onChange(event -> {
      Long at = sent.get(event.instance().ip());
      if (at != null) {
        bus[index(event.instance().ip())] = System.nanoTime() - at;
        done.countDown();
      }
    }).completion().await(10, TimeUnit.SECONDS);

    HttpClient http = vertx.createHttpClient();
    StringBuilder pending = new StringBuilder();
    http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
            .setURI("/api/v1/registry/events?service=bench.feed"))
        .compose(r -> r.send())
        .map(response -> response.handler(chunk -> {
          long now = System.nanoTime();
          pending.append(chunk.toString());
          int end;
          while ((end = pending.indexOf("\n\n")) >= 0) {
            String block = pending.substring(0, end);
            pending.delete(0, end + 2);
            int payload = block.indexOf("data: ");
            if (block.contains("event: registered") && payload >= 0) {
              String ip = new JsonObject(block.substring(payload + 6)).getJsonObject("instance").getString("ip");
              sse[index(ip)] = now - sent.get(ip);
              done.countDown();
            }
          }
        }))
        .await(10, TimeUnit.SECONDS);

    WebClient web = WebClient.create(vertx);
    warmUp(web, port, count);
    long gapNanos = 1_000_000_000L / rate;
    long next = System.nanoTime();
    for (int i = 0; i < count; i++) {
      while (System.nanoTime() < next) {
        Thread.onSpinWait();
      }
      next += gapNanos;
      String ip = ip(i);
      int at = i;
      long start = System.nanoTime();
      sent.put(ip, start);
      web.post(port, "127.0.0.1", "/api/v1/registry/services/bench.feed/instances")
          .sendJsonObject(new JsonObject().put("ip", ip).put("port", 8080).put("ephemeral", !PERSISTENT))
          .onSuccess(r -> {
            reply[at] = System.nanoTime() - start;
            done.countDown();
          });
    }
    boolean complete = done.await(60, TimeUnit.SECONDS);
    System.out.printf("%d %s registrations at %d/s%s%n", count, PERSISTENT ? "persistent" : "ephemeral", rate,
        complete ? "" : " (INCOMPLETE)");
    System.out.printf("%-24s %9s %9s %9s %12s%n", "", "p50", "p99", "max", "p99/baseline");
    double base = percentile(reply, 0.99);
    print("POST -> 201 (baseline)", reply, base);
    print("POST -> event bus", bus, base);
    print("POST -> SSE", sse, base);
    web.close();
    http.close();
    gateway.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** The same requests on another service first, so that the measured ones run on warm code. */
  private static void warmUp(WebClient web, int port, int count) throws InterruptedException {
    CountDownLatch warm = new CountDownLatch(count);
    for (int i = 0; i < count; i++) {
      web.post(port, "127.0.0.1", "/api/v1/registry/services/bench.warm-up/instances")
          .sendJsonObject(new JsonObject().put("ip", ip(i)).put("port", 8080))
          .onComplete(ar -> warm.countDown());
      if (i % 50 == 0) {
        Thread.sleep(5);
      }
    }
    warm.await(60, TimeUnit.SECONDS);
  }

  private static void print(String label, long[] nanos, double base) {
    System.out.printf("%-24s %7.2fms %7.2fms %7.2fms %12.2f%n", label, percentile(nanos, 0.50) / 1e6,
        percentile(nanos, 0.99) / 1e6, Arrays.stream(nanos).max().orElse(0) / 1e6, percentile(nanos, 0.99) / base);
  }

  private static double percentile(long[] values, double q) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static String ip(int i) {
    return "10.77." + (i / 250) + "." + (i % 250);
  }

  private static int index(String ip) {
    String[] parts = ip.split("\\.");
    return Integer.parseInt(parts[2]) * 250 + Integer.parseInt(parts[3]);
  }
}
