package com.wz.gateway.registry;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A service's instances held for reading, each kept as the JSON bytes the API sends, so that a read
 * costs no serialisation. The full list and the healthy list are built once per change.
 * Confined to one thread, like the {@link InstanceCache} that holds it.
 */
final class ServiceView {

  private record Entry(ServiceInstance instance, Buffer json) {
    static Entry of(ServiceInstance instance) {
      return new Entry(instance, Buffer.buffer(instance.toJson().encode()));
    }
  }

  private final ServiceKey key;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Buffer prefix;
  private long revision;
  private boolean stale;
  private Buffer all;
  private Buffer healthy;

  ServiceView(ServiceInstances loaded) {
    this.key = loaded.key();
    this.revision = loaded.revision();
    this.stale = loaded.stale();
    this.prefix = Buffer.buffer("{\"service\":" + Json.encode(key.service()) + ",\"group\":" + Json.encode(key.group())
        + ",\"instances\":[");
    loaded.instances().forEach(i -> entries.put(i.instanceId(), Entry.of(i)));
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

  /** Applies a change newer than this view; older ones are already in it and are ignored. */
  void apply(RegistryEvent event) {
    if (event.revision() <= revision) {
      return;
    }
    switch (event.type()) {
      case REGISTERED, UPDATED -> entries.put(event.instance().instanceId(), Entry.of(event.instance()));
      case DEREGISTERED -> entries.remove(event.instance().instanceId());
      case SNAPSHOT -> {
        entries.clear();
        event.instances().forEach(i -> entries.put(i.instanceId(), Entry.of(i)));
        stale = false;
      }
    }
    revision = event.revision();
    invalidate();
  }

  void touch(String instanceId, java.time.Instant lastHeartbeatAt) {
    Entry entry = entries.get(instanceId);
    if (entry != null && !lastHeartbeatAt.equals(entry.instance.lastHeartbeatAt())) {
      entries.put(instanceId, Entry.of(entry.instance.withLastHeartbeatAt(lastHeartbeatAt)));
      invalidate();
    }
  }

  /** The body of {@code GET /services/{service}/instances} for {@code filter}. */
  Buffer body(InstanceFilter filter) {
    if (filter.equals(InstanceFilter.ALL)) {
      if (all == null) {
        all = build(filter);
      }
      return all;
    }
    if (filter.equals(InstanceFilter.HEALTHY)) {
      if (healthy == null) {
        healthy = build(filter);
      }
      return healthy;
    }
    return build(filter);
  }

  private Buffer build(InstanceFilter filter) {
    Buffer body = Buffer.buffer(64 + entries.size() * 400).appendBuffer(prefix);
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

  private void invalidate() {
    all = null;
    healthy = null;
  }
}
