package com.wz.gateway.http;

import com.wz.gateway.bus.Addresses;
import com.wz.gateway.registry.RegistryEvent;
import com.wz.gateway.registry.ServiceKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The registry's recent changes as one event loop sees them: a single event-bus subscription shared
 * by every watcher on the loop, and the last {@code capacity} changes kept so that a watcher that
 * reconnects can be given what it missed. Confined to the event loop of the verticle that owns it.
 */
final class ChangeFeed {

  /** One watcher: every change, or one service's. */
  static final class Watcher {
    private final ServiceKey key;
    private final Consumer<RegistryEvent> sink;
    private final Runnable end;

    /** @param end ends the watcher's stream when the feed stops (shutdown) */
    Watcher(ServiceKey key, Consumer<RegistryEvent> sink, Runnable end) {
      this.key = key;
      this.sink = sink;
      this.end = end;
    }

    boolean wants(RegistryEvent event) {
      return key == null || key.equals(event.key());
    }
  }

  private final int capacity;
  private final Deque<RegistryEvent> recent = new ArrayDeque<>();
  private final Set<Watcher> watchers = new LinkedHashSet<>();
  private MessageConsumer<JsonObject> consumer;
  private long latest;

  ChangeFeed(int capacity) {
    this.capacity = capacity;
  }

  /** Subscribes, then takes the registry's current revision as the point this feed's history starts from. */
  Future<Void> start(Vertx vertx, com.wz.gateway.bus.RegistryClient registry) {
    consumer = vertx.eventBus().localConsumer(Addresses.EVENTS, m -> append(RegistryEvent.fromJson(m.body())));
    return consumer.completion()
        .compose(v -> registry.ping())
        .onSuccess(ping -> latest = Math.max(latest, ping.getLong("revision", 0L)))
        .mapEmpty();
  }

  /** Ends every watcher's stream (so that a graceful shutdown need not wait for them) and unsubscribes. */
  Future<Void> stop() {
    List.copyOf(watchers).forEach(w -> w.end.run());
    watchers.clear();
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** The newest revision seen. */
  long latest() {
    return latest;
  }

  /**
   * The changes after {@code revision} that {@code watcher} wants, or {@code null} when some of them
   * are no longer kept (the watcher must start again from a snapshot).
   */
  List<RegistryEvent> since(long revision, Watcher watcher) {
    if (revision >= latest) {
      return List.of();
    }
    RegistryEvent oldest = recent.peekFirst();
    if (oldest == null || oldest.revision() > revision + 1) {
      return null;
    }
    List<RegistryEvent> missed = new ArrayList<>();
    for (RegistryEvent event : recent) {
      if (event.revision() > revision && watcher.wants(event)) {
        missed.add(event);
      }
    }
    return missed;
  }

  void watch(Watcher watcher) {
    watchers.add(watcher);
  }

  void unwatch(Watcher watcher) {
    watchers.remove(watcher);
  }

  int watchers() {
    return watchers.size();
  }

  private void append(RegistryEvent event) {
    latest = Math.max(latest, event.revision());
    recent.addLast(event);
    if (recent.size() > capacity) {
      recent.removeFirst();
    }
    for (Watcher watcher : List.copyOf(watchers)) {
      if (watcher.wants(event)) {
        watcher.sink.accept(event);
      }
    }
  }
}
