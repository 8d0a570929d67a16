package com.wz.gateway.registry;

import com.wz.gateway.bus.Addresses;
import com.wz.gateway.bus.RegistryClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The read side of the registry, shared by every HTTP event loop: services that have been read are
 * held in memory as immutable {@link ServiceView}s and kept current by the change events the
 * registry publishes, so a read costs no event-bus round trip and no serialisation.
 *
 * <p>Reads run on any thread. Every change to the cache runs on this verticle's context: events,
 * heartbeats, and a service's first load (changes that arrive while it loads are applied after it).
 */
public final class InstanceCache extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceCache.class);
  private static final long CATCH_UP_MILLIS = 2000;

  /** A rendered instance list: the bytes to send and the entity tag that names them. */
  public record Body(Buffer bytes, String etag) {
  }

  private record Loading(Future<ServiceView> view, List<RegistryEvent> pending) {
  }

  private record Waiter(long revision, Promise<Void> promise, long timer) {
  }

  private final long requestTimeoutMillis;
  private final Map<ServiceKey, ServiceView> views = new ConcurrentHashMap<>();
  private final Map<ServiceKey, Loading> loading = new HashMap<>();
  private final Map<ServiceKey, List<Waiter>> waiters = new HashMap<>();
  private RegistryClient client;

  public InstanceCache(long requestTimeoutMillis) {
    this.requestTimeoutMillis = requestTimeoutMillis;
  }

  @Override
  public Future<?> start() {
    client = RegistryClient.local(vertx, requestTimeoutMillis);
    MessageConsumer<JsonObject> changes = client.onChange(this::apply);
    MessageConsumer<JsonObject> beats = vertx.eventBus().localConsumer(Addresses.HEARTBEATS, m -> touch(m.body()));
    return Future.join(changes.completion(), beats.completion());
  }

  /** The JSON body listing {@code key}'s instances that pass {@code filter}, with its entity tag. Any thread. */
  public Future<Body> body(ServiceKey key, InstanceFilter filter) {
    ServiceView view = views.get(key);
    if (view != null) {
      return Future.succeededFuture(view.body(filter));
    }
    return onCache(() -> load(key)).map(v -> v.body(filter));
  }

  /** A service's instances together with the revision they reflect. */
  public record Snapshot(ServiceKey key, long revision, List<ServiceInstance> instances) {
  }

  /** {@code key}'s instances and the revision of the newest change they include (loaded on a miss). Any thread. */
  public Future<Snapshot> snapshot(ServiceKey key) {
    ServiceView view = views.get(key);
    Future<ServiceView> held = view != null ? Future.succeededFuture(view) : onCache(() -> load(key));
    return held.map(v -> new Snapshot(key, v.revision(), List.copyOf(v.instances())));
  }

  /** {@code key}'s instances as of now (loaded on a miss). Any thread. */
  public Future<List<ServiceInstance>> instances(ServiceKey key) {
    ServiceView view = views.get(key);
    return view != null ? Future.succeededFuture(List.copyOf(view.instances()))
        : onCache(() -> load(key)).map(v -> List.copyOf(v.instances()));
  }

  /**
   * Completes once the cache reflects {@code key}'s change at {@code revision} (0: no change), so that
   * a client reads its own write on every event loop. Any thread. Gives up after a while and drops
   * the service, to be loaded afresh on its next read.
   */
  public Future<Void> caughtUp(ServiceKey key, long revision) {
    ServiceView view = views.get(key);
    if (revision == 0 || (view != null && view.revision() >= revision)) {
      return Future.succeededFuture();
    }
    return onCache(() -> awaitRevision(key, revision));
  }

  /** Runs {@code work} on this verticle's context and completes on the caller's. */
  private <T> Future<T> onCache(Supplier<Future<T>> work) {
    Context caller = vertx.getOrCreateContext();
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(ar -> caller.runOnContext(w -> result.handle(ar))));
    return result.future();
  }

  private Future<Void> awaitRevision(ServiceKey key, long revision) {
    Loading inFlight = loading.get(key);
    if (inFlight != null) {
      return inFlight.view().transform(ar -> awaitRevision(key, revision));
    }
    ServiceView view = views.get(key);
    if (view == null || view.revision() >= revision) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    long timer = vertx.setTimer(CATCH_UP_MILLIS, t -> giveUp(key, revision));
    waiters.computeIfAbsent(key, k -> new ArrayList<>()).add(new Waiter(revision, promise, timer));
    return promise.future();
  }

  private Future<ServiceView> load(ServiceKey key) {
    ServiceView held = views.get(key);
    if (held != null) {
      return Future.succeededFuture(held);
    }
    Loading inFlight = loading.get(key);
    if (inFlight != null) {
      return inFlight.view();
    }
    List<RegistryEvent> pending = new ArrayList<>();
    Future<ServiceView> view = client.instances(key).map(loaded -> {
      ServiceView fresh = ServiceView.of(loaded);
      for (RegistryEvent event : pending) {
        fresh = fresh.apply(event);
      }
      if (!fresh.isEmpty()) {
        views.put(key, fresh);
      }
      return fresh;
    });
    loading.put(key, new Loading(view, pending));
    view.onComplete(ar -> loading.remove(key));
    return view;
  }

  private void apply(RegistryEvent event) {
    Loading inFlight = loading.get(event.key());
    if (inFlight != null) {
      inFlight.pending().add(event);
      return;
    }
    ServiceView view = views.get(event.key());
    if (view == null) {
      return;
    }
    ServiceView next = view.apply(event);
    if (next.isEmpty()) {
      views.remove(event.key());
    } else {
      views.put(event.key(), next);
    }
    release(event.key(), next.revision());
  }

  private void touch(JsonObject batch) {
    Map<ServiceKey, Map<String, Instant>> byService = new HashMap<>();
    for (Object o : batch.getJsonArray("beats")) {
      JsonObject beat = (JsonObject) o;
      ServiceKey key = ServiceKey.of(beat.getString("group"), beat.getString("service"));
      if (views.containsKey(key)) {
        byService.computeIfAbsent(key, k -> new HashMap<>())
            .put(beat.getString("instanceId"), Instant.parse(beat.getString("lastHeartbeatAt")));
      }
    }
    byService.forEach((key, beats) -> views.computeIfPresent(key, (k, view) -> view.touch(beats)));
  }

  private void release(ServiceKey key, long revision) {
    List<Waiter> list = waiters.get(key);
    if (list == null) {
      return;
    }
    list.removeIf(w -> {
      if (w.revision() > revision) {
        return false;
      }
      vertx.cancelTimer(w.timer());
      w.promise().tryComplete();
      return true;
    });
    if (list.isEmpty()) {
      waiters.remove(key);
    }
  }

  private void giveUp(ServiceKey key, long revision) {
    LOG.warn("No change event up to revision {} for {} in {} ms; reloading it on the next read", revision, key,
        CATCH_UP_MILLIS);
    views.remove(key);
    release(key, Long.MAX_VALUE);
  }
}
