package com.wz.gateway.bench;

import com.wz.gateway.Gateway;
import com.wz.gateway.bus.RegistryClient;
import com.wz.gateway.config.GatewayConfig;
import com.wz.gateway.registry.ServiceKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many leased instances the gateway holds at 5 s heartbeats. For each size N it registers N
 * ephemeral instances, renews every one of them every 5 s (N/5 heartbeats a second, spread evenly,
 * over the event bus into the registry worker, as the HTTP layer does), lets the scheduler sweep
 * leases every second, and measures event-loop lag with a 10 ms probe timer. The baseline is the
 * same run with no instances. Run it on one core: {@code bench/leases.sh}.
 * Usage: {@code LeaseBenchmark <seconds per size> <size>...}.
 */
public final class LeaseBenchmark {

  private static final int SERVICES = 100;

  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(args[0]);
    List<Integer> sizes = Arrays.stream(args).skip(1).map(Integer::parseInt).toList();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Path data = Files.createTempDirectory("lease-bench");
    GatewayConfig config = GatewayConfig.load(vertx, Map.of("GATEWAY_HTTP_HOST", "127.0.0.1", "GATEWAY_HTTP_PORT", "0",
        "GATEWAY_HTTP_INSTANCES", "1", "GATEWAY_DATA_DIR", data.toString(), "GATEWAY_LOG_LEVEL", "WARN"))
        .await(30, TimeUnit.SECONDS);
    System.out.printf("%d cores visible; %d s per size; heartbeats every 5 s; lag probe every 10 ms%n",
        Runtime.getRuntime().availableProcessors(), seconds);
    System.out.printf("%9s %12s %10s %10s %10s %10s %12s%n", "instances", "beats/s", "lag p50", "lag p99",
        "lag max", "p99/base", "all healthy");
    double baseline = -1;
    for (int n : sizes) {
      Gateway gateway = Gateway.start(vertx, config, Clock.systemUTC()).await(60, TimeUnit.SECONDS);
      Result result = run(vertx, n, seconds);
      gateway.stop().await(60, TimeUnit.SECONDS);
      if (baseline < 0) {
        baseline = Math.max(result.p99, 1.0); // the lag probe counts whole milliseconds
      }
      System.out.printf("%9d %12.0f %8.1fms %8.1fms %8.1fms %10.2f %12s%n", n, result.beatsPerSecond, result.p50,
          result.p99, result.max, result.p99 / baseline, result.allHealthy ? "yes" : "NO (" + result.healthy + ")");
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private record Result(double beatsPerSecond, double p50, double p99, double max, boolean allHealthy, int healthy) {
  }

  private static Result run(Vertx vertx, int n, int seconds) throws Exception {
    RegistryClient registry = new RegistryClient(vertx, 30_000);
    AtomicLong beats = new AtomicLong();
    long[] lags = new long[seconds * 100 + 100];
    AtomicLong probes = new AtomicLong();
    long tickMillis = 10;
    AtomicInteger registered = new AtomicInteger();
    int[] next = {0};
    long[] lastProbe = {System.nanoTime()};
    // each registered instance beats every 5 s from its registration on, as its client would
    long driver = vertx.setPeriodic(tickMillis, id -> {
      int held = registered.get();
      int perTick = (int) Math.ceil(held / 5.0 / (1000.0 / tickMillis));
      for (int k = 0; k < perTick; k++) {
        int i = next[0] % held;
        next[0] = i + 1;
        registry.heartbeat(ServiceKey.of("DEFAULT_GROUP", service(i)), ip(i) + ":8080")
            .onSuccess(c -> beats.incrementAndGet());
      }
    });
    for (int from = 0; from < n; from += 1000) {
      List<Future<?>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 1000); i++) {
        batch.add(registry.register(service(i), null, new JsonObject().put("ip", ip(i)).put("port", 8080)));
      }
      Future.all(batch).await(60, TimeUnit.SECONDS);
      registered.set(Math.min(n, from + 1000));
    }
    long probe = vertx.setPeriodic(tickMillis, id -> {
      long now = System.nanoTime();
      long lag = Math.max(0, (now - lastProbe[0]) / 1_000_000 - tickMillis);
      lastProbe[0] = now;
      int at = (int) probes.getAndIncrement();
      if (at < lags.length) {
        lags[at] = lag;
      }
    });
    Thread.sleep(5_000);
    probes.set(0);
    long startBeats = beats.get();
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double elapsed = (System.nanoTime() - start) / 1e9;
    double rate = (beats.get() - startBeats) / elapsed;
    vertx.cancelTimer(driver);
    vertx.cancelTimer(probe);
    int count = (int) Math.min(probes.get(), lags.length);
    long[] sorted = Arrays.copyOf(lags, count);
    Arrays.sort(sorted);
    JsonObject ping = registry.ping().await(30, TimeUnit.SECONDS);
    int healthy = ping.getInteger("healthyInstances");
    return new Result(rate, percentile(sorted, 0.50), percentile(sorted, 0.99),
        sorted.length == 0 ? 0 : sorted[sorted.length - 1], healthy == n && ping.getInteger("instances") == n, healthy);
  }

  private static double percentile(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static String service(int i) {
    return "bench.svc-" + (i % SERVICES);
  }

  private static String ip(int i) {
    return "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
  }
}
