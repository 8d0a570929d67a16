package com.wz.gateway.registry;

import com.wz.gateway.bus.Addresses;
import com.wz.gateway.bus.RegistryClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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

/**
 * The read side of the registry in one event loop: services that have been read are held in memory
 * and kept current by the change events the registry publishes, so a read costs no event-bus round
 * trip and no serialisation. A service is loaded from the registry on its first read; changes that
 * arrive while it loads are applied after it.
 *
 * <p>Confined to the context that created it (one per API verticle instance): no locks.
 */
public final class InstanceCache {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceCache.class);
  private static final long CATCH_UP_MILLIS = 2000;

  private record Loading(Future<ServiceView> view, List<RegistryEvent> pending) {
  }

  private record Waiter(long revision, Promise<Void> promise, long timer) {
  }

  private final Vertx vertx;
  private final RegistryClient client;
  private final Map<ServiceKey, ServiceView> views = new HashMap<>();
  private final Map<ServiceKey, Loading> loading = new HashMap<>();
  private final Map<ServiceKey, List<Waiter>> waiters = new HashMap<>();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  public InstanceCache(Vertx vertx, RegistryClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  /** Starts following the registry's changes; completes once the subscriptions are in place. */
  public Future<Void> start() {
    consumers.add(client.onChange(this::apply));
    consumers.add(vertx.eventBus().consumer(Addresses.HEARTBEATS, m -> touch(m.body())));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public Future<Void> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  /** The JSON body listing {@code key}'s instances that pass {@code filter}. */
  public Future<Buffer> body(ServiceKey key, InstanceFilter filter) {
    ServiceView view = views.get(key);
    if (view != null) {
      return Future.succeededFuture(view.body(filter));
    }
    return load(key).map(v -> v.body(filter));
  }

  /** {@code key}'s instances as of now (loaded on a miss). */
  public Future<List<ServiceInstance>> instances(ServiceKey key) {
    ServiceView view = views.get(key);
    return view != null ? Future.succeededFuture(List.copyOf(view.instances()))
        : load(key).map(v -> List.copyOf(v.instances()));
  }

  /** Every service held, with its instances: the services that have been read and still have instances. */
  public Map<ServiceKey, List<ServiceInstance>> held() {
    Map<ServiceKey, List<ServiceInstance>> held = new HashMap<>();
    views.forEach((key, view) -> held.put(key, List.copyOf(view.instances())));
    return held;
  }

  /**
   * Completes once this cache reflects {@code key}'s change at {@code revision} (0: no change), so that
   * a client reads its own write. Gives up after a while and drops the service, to be loaded afresh.
   */
  public Future<Void> caughtUp(ServiceKey key, long revision) {
    ServiceView view = views.get(key);
    Loading inFlight = loading.get(key);
    if (inFlight != null) {
      return inFlight.view().transform(ar -> caughtUp(key, revision));
    }
    if (revision == 0 || view == null || view.revision() >= revision) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    long timer = vertx.setTimer(CATCH_UP_MILLIS, t -> giveUp(key, revision));
    waiters.computeIfAbsent(key, k -> new ArrayList<>()).add(new Waiter(revision, promise, timer));
    return promise.future();
  }

  private Future<ServiceView> load(ServiceKey key) {
    Loading inFlight = loading.get(key);
    if (inFlight != null) {
      return inFlight.view();
    }
    List<RegistryEvent> pending = new ArrayList<>();
    Future<ServiceView> view = client.instances(key).map(loaded -> {
      ServiceView fresh = new ServiceView(loaded);
      pending.forEach(fresh::apply);
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
      if (event.type() == RegistryEvent.Type.SNAPSHOT && !event.instances().isEmpty()) {
        views.put(event.key(), new ServiceView(new ServiceInstances(event.key(), event.revision(), event.instances(), false)));
      }
      return;
    }
    view.apply(event);
    if (view.isEmpty()) {
      views.remove(event.key());
    }
    release(event.key(), view.revision());
  }

  private void touch(JsonObject beat) {
    ServiceView view = views.get(ServiceKey.of(beat.getString("group"), beat.getString("service")));
    if (view != null) {
      view.touch(beat.getString("instanceId"), Instant.parse(beat.getString("lastHeartbeatAt")));
    }
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
