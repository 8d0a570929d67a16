package com.wz.gateway.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The listeners of a backend, told of every change in the order the changes were made. */
public final class Subscribers {

  private static final Logger LOG = LoggerFactory.getLogger(Subscribers.class);

  private record Entry(ServiceKey key, Consumer<RegistryEvent> listener) {
  }

  private final List<Entry> entries = new CopyOnWriteArrayList<>();

  public ServiceRegistry.Subscription add(ServiceKey key, Consumer<RegistryEvent> listener) {
    Entry entry = new Entry(key, listener);
    entries.add(entry);
    return () -> entries.remove(entry);
  }

  public void publish(RegistryEvent event) {
    for (Entry entry : entries) {
      if (entry.key == null || entry.key.equals(event.key())) {
        try {
          entry.listener.accept(event);
        } catch (RuntimeException e) {
          LOG.warn("A registry listener failed on revision {}", event.revision(), e);
        }
      }
    }
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }
}
