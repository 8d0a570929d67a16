package com.wz.gateway.registry;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An immutable snapshot of a service's instances, each kept as the JSON bytes the API sends, so
 * that a read costs no serialisation. A change makes a new view; the full list and the healthy list
 * are built once per view, on first read, and shared by every event loop.
 */
final class ServiceView {

  private record Entry(ServiceInstance instance, Buffer json) {
    static Entry of(ServiceInstance instance) {
      return new Entry(instance, Buffer.buffer(instance.toJson().encode()));
    }
  }

  /** Tells views of this process apart from views of an earlier one with the same sequence number. */
  private static final String BOOT = Long.toString(System.nanoTime() ^ System.currentTimeMillis(), 36);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final ServiceKey key;
  private final long version = SEQUENCE.incrementAndGet();
  private final long revision;
  private final boolean stale;
  private final Map<String, Entry> entries;
  private volatile InstanceCache.Body all;
  private volatile InstanceCache.Body healthy;

  private ServiceView(ServiceKey key, long revision, boolean stale, Map<String, Entry> entries) {
    this.key = key;
    this.revision = revision;
    this.stale = stale;
    this.entries = Collections.unmodifiableMap(entries);
  }

  static ServiceView of(ServiceInstances loaded) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    loaded.instances().forEach(i -> entries.put(i.instanceId(), Entry.of(i)));
    return new ServiceView(loaded.key(), loaded.revision(), loaded.stale(), entries);
  }

  long revision() {
    return revision;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  Collection<ServiceInstance> instances() {
    return entries.values().stream().map(Entry::instance).toList();
  }

  /** This view with {@code event} applied; itself when the event is not newer than the view. */
  ServiceView apply(RegistryEvent event) {
    if (event.revision() <= revision) {
      return this;
    }
    if (event.type() == RegistryEvent.Type.SNAPSHOT) {
      return of(new ServiceInstances(key, event.revision(), event.instances(), event.stale()));
    }
    Map<String, Entry> next = new LinkedHashMap<>(entries);
    if (event.type() == RegistryEvent.Type.DEREGISTERED) {
      next.remove(event.instance().instanceId());
    } else {
      next.put(event.instance().instanceId(), Entry.of(event.instance()));
    }
    return new ServiceView(key, event.revision(), stale, next);
  }

  /** This view with instances' last heartbeats moved ({@code instanceId → time}); itself when nothing changes. */
  ServiceView touch(Map<String, Instant> beats) {
    Map<String, Entry> next = null;
    for (Map.Entry<String, Instant> beat : beats.entrySet()) {
      Entry entry = entries.get(beat.getKey());
      if (entry != null && !beat.getValue().equals(entry.instance.lastHeartbeatAt())) {
        if (next == null) {
          next = new LinkedHashMap<>(entries);
        }
        next.put(beat.getKey(), Entry.of(entry.instance.withLastHeartbeatAt(beat.getValue())));
      }
    }
    return next == null ? this : new ServiceView(key, revision, stale, next);
  }

  /** The body of {@code GET /services/{service}/instances} for {@code filter}, and its entity tag. */
  InstanceCache.Body body(InstanceFilter filter) {
    if (filter.equals(InstanceFilter.ALL)) {
      InstanceCache.Body body = all;
      if (body == null) {
        all = body = render(filter);
      }
      return body;
    }
    if (filter.equals(InstanceFilter.HEALTHY)) {
      InstanceCache.Body body = healthy;
      if (body == null) {
        healthy = body = render(filter);
      }
      return body;
    }
    return render(filter);
  }

  private InstanceCache.Body render(InstanceFilter filter) {
    return new InstanceCache.Body(build(filter), "\"" + BOOT + "." + version + "." + Integer.toHexString(filter.hashCode()) + "\"");
  }

  private Buffer build(InstanceFilter filter) {
    Buffer body = Buffer.buffer(64 + entries.size() * 400)
        .appendString("{\"service\":").appendString(Json.encode(key.service()))
        .appendString(",\"group\":").appendString(Json.encode(key.group()))
        .appendString(",\"instances\":[");
    boolean first = true;
    for (Entry entry : entries.values()) {
      if (filter.test(entry.instance)) {
        if (!first) {
          body.appendByte((byte) ',');
        }
        body.appendBuffer(entry.json);
        first = false;
      }
    }
    return body.appendString(stale ? "],\"stale\":true}" : "],\"stale\":false}");
  }
}
