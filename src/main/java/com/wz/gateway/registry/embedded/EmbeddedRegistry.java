package com.wz.gateway.registry.embedded;

import com.wz.gateway.config.LeaseConfig;
import com.wz.gateway.instance.StatusTransitions;
import com.wz.gateway.registry.InstanceStatus;
import com.wz.gateway.registry.LeaseBook;
import com.wz.gateway.registry.Registration;
import com.wz.gateway.registry.RegistryEvent;
import com.wz.gateway.registry.RegistryException;
import com.wz.gateway.registry.ServiceInstance;
import com.wz.gateway.registry.ServiceInstances;
import com.wz.gateway.registry.ServiceKey;
import com.wz.gateway.registry.ServicePage;
import com.wz.gateway.registry.ServiceQuery;
import com.wz.gateway.registry.ServiceRegistry;
import com.wz.gateway.registry.ServiceSummary;
import com.wz.gateway.registry.Subscribers;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The registry that needs no server: instances in memory, persistent ones also in an
 * {@link InstanceStore}, ephemeral ones held by heartbeat leases.
 *
 * <p>Not thread-safe: it is confined to the context of the verticle that owns it. A change to a
 * persistent instance is journalled before it is applied, so a failed write changes nothing.
 */
public final class EmbeddedRegistry implements ServiceRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistry.class);

  private final Clock clock;
  private final InstanceStore store;
  private final Map<ServiceKey, LinkedHashMap<String, ServiceInstance>> services = new HashMap<>();
  private final LeaseBook leases;
  private final Subscribers subscribers = new Subscribers();
  private long revision;

  public EmbeddedRegistry(Clock clock, LeaseConfig lease, InstanceStore store) {
    this.clock = clock;
    this.leases = new LeaseBook(lease);
    this.store = store;
    InstanceStore.Contents contents = store.load();
    // Revisions only grow, across restarts too (SSE clients resume from them): start past both the
    // last stored one and the clock.
    this.revision = Math.max(contents.revision(), clock.millis() * 1000);
    for (ServiceInstance instance : contents.instances()) {
      services.computeIfAbsent(instance.key(), k -> new LinkedHashMap<>()).put(instance.instanceId(), instance);
    }
  }

  @Override
  public Future<Registered> register(Registration registration) {
    return RegistryException.capture(() -> {
      ServiceInstance existing = registration.updates(services.getOrDefault(registration.key(), new LinkedHashMap<>()));
      Instant now = clock.instant();
      if (existing == null) {
        ServiceInstance created = registration.toInstance(now);
        put(null, created);
        publish(RegistryEvent.registered(++revision, created, "registered"));
        return new Registered(created, true);
      }
      ServiceInstance updated = registration.toUpdateOf(existing, now);
      put(existing, updated);
      publish(RegistryEvent.updated(++revision, existing, updated, "re-registered"));
      return new Registered(updated, false);
    });
  }

  @Override
  public Future<ServiceInstance> deregister(ServiceKey key, String instanceId) {
    return RegistryException.capture(() -> {
      ServiceInstance existing = require(key, instanceId);
      remove(existing);
      publish(RegistryEvent.deregistered(++revision, existing, "deregistered"));
      return existing;
    });
  }

  @Override
  public Future<ServiceInstance> updateStatus(ServiceKey key, String instanceId, InstanceStatus status) {
    return RegistryException.capture(() -> {
      ServiceInstance existing = require(key, instanceId);
      StatusTransitions.require(existing.status(), status);
      return change(existing, i -> i.withStatus(status), "status");
    });
  }

  @Override
  public Future<ServiceInstance> heartbeat(ServiceKey key, String instanceId) {
    return RegistryException.capture(() -> {
      ServiceInstance existing = require(key, instanceId);
      ServiceInstance renewed = existing.renewedAt(clock.instant());
      if (renewed.healthy() != existing.healthy()) {
        return change(existing, i -> renewed, "heartbeat");
      }
      services.get(key).put(instanceId, renewed);
      leases.renew(renewed);
      return renewed;
    });
  }

  @Override
  public Future<ServiceInstance> reportProbe(ServiceKey key, String instanceId, boolean healthy, boolean renew) {
    return RegistryException.capture(() -> {
      ServiceInstance existing = require(key, instanceId);
      ServiceInstance after = renew && existing.ephemeral() ? existing.withLastHeartbeatAt(clock.instant()) : existing;
      if (existing.healthy() != healthy) {
        ServiceInstance judged = after.withHealthy(healthy);
        return change(existing, i -> judged, healthy ? "probe-passed" : "probe-failed");
      }
      if (after != existing) {
        services.get(key).put(instanceId, after);
        leases.renew(after);
      }
      return after;
    });
  }

  @Override
  public Future<List<ServiceInstance>> probeTargets() {
    return Future.succeededFuture(ServiceRegistry.withHealthCheck(services.values()));
  }

  @Override
  public Future<ServiceInstances> instances(ServiceKey key) {
    Map<String, ServiceInstance> instances = services.getOrDefault(key, new LinkedHashMap<>());
    return Future.succeededFuture(new ServiceInstances(key, revision, new ArrayList<>(instances.values()), false));
  }

  @Override
  public Future<ServicePage> services(ServiceQuery query) {
    List<ServiceSummary> matching = services.entrySet().stream()
        .filter(e -> e.getKey().group().equals(query.group()) && query.matches(e.getKey().service()))
        .map(e -> summary(e.getKey(), e.getValue()))
        .sorted(Comparator.comparing(ServiceSummary::name))
        .toList();
    return Future.succeededFuture(ServicePage.of(matching, query.page(), query.size()));
  }

  @Override
  public Future<Counts> counts() {
    return Future.succeededFuture(Counts.of(services.values()));
  }

  @Override
  public Future<Void> expireLeases() {
    LeaseBook.Due due = leases.sweep(clock.instant());
    List<ServiceInstance> missed = new ArrayList<>();
    for (LeaseBook.LeaseKey lease : due.missed()) {
      ServiceInstance instance = held(lease);
      if (instance != null && instance.healthy()) {
        LOG.debug("Instance {} of {} missed its heartbeats: unhealthy", instance.instanceId(), instance.key());
        change(instance, i -> i.withHealthy(false), "heartbeat-missed");
        missed.add(instance);
      }
    }
    List<ServiceInstance> expired = new ArrayList<>();
    for (LeaseBook.LeaseKey lease : due.expired()) {
      ServiceInstance instance = held(lease);
      if (instance != null) {
        LOG.debug("Instance {} of {} removed: lease expired", instance.instanceId(), instance.key());
        remove(instance);
        publish(RegistryEvent.deregistered(++revision, instance, "lease-expired"));
        expired.add(instance);
      }
    }
    if (!missed.isEmpty()) {
      LOG.info("Missed their heartbeats, now unhealthy: {}", LeaseBook.describe(missed));
    }
    if (!expired.isEmpty()) {
      LOG.info("Leases expired, removed: {}", LeaseBook.describe(expired));
    }
    return Future.succeededFuture();
  }

  @Override
  public Subscription subscribe(ServiceKey key, Consumer<RegistryEvent> listener) {
    return subscribers.add(key, listener);
  }

  @Override
  public long revision() {
    return revision;
  }

  @Override
  public Future<Void> close() {
    store.close();
    services.clear();
    return Future.succeededFuture();
  }

  private ServiceInstance held(LeaseBook.LeaseKey lease) {
    Map<String, ServiceInstance> instances = services.get(lease.key());
    return instances == null ? null : instances.get(lease.instanceId());
  }

  private static ServiceSummary summary(ServiceKey key, Map<String, ServiceInstance> instances) {
    int healthy = (int) instances.values().stream().filter(ServiceInstance::servesTraffic).count();
    return new ServiceSummary(key.service(), key.group(), instances.size(), healthy);
  }

  private ServiceInstance require(ServiceKey key, String instanceId) {
    ServiceInstance instance = services.getOrDefault(key, new LinkedHashMap<>()).get(instanceId);
    if (instance == null) {
      throw RegistryException.unknownInstance(key, instanceId);
    }
    return instance;
  }

  private ServiceInstance change(ServiceInstance before, UnaryOperator<ServiceInstance> update, String reason) {
    ServiceInstance after = update.apply(before);
    if (after.equals(before)) {
      return before;
    }
    put(before, after);
    publish(RegistryEvent.updated(++revision, before, after, reason));
    return after;
  }

  /** Replaces {@code before} (null for a new instance) by {@code after}, saving first when either is persistent. */
  private void put(ServiceInstance before, ServiceInstance after) {
    if (!after.ephemeral() || (before != null && !before.ephemeral())) {
      persist(before, after);
    }
    services.computeIfAbsent(after.key(), k -> new LinkedHashMap<>()).put(after.instanceId(), after);
    if (before == null || !after.ephemeral() || !Objects.equals(before.lastHeartbeatAt(), after.lastHeartbeatAt())) {
      leases.renew(after);
    }
    compactIfDue();
  }

  private void remove(ServiceInstance instance) {
    if (!instance.ephemeral()) {
      persist(instance, null);
    }
    Map<String, ServiceInstance> instances = services.get(instance.key());
    instances.remove(instance.instanceId());
    leases.forget(instance);
    if (instances.isEmpty()) {
      services.remove(instance.key());
    }
    compactIfDue();
  }

  /** Records the change durably before it is applied; a store that cannot write refuses it (503). */
  private void persist(ServiceInstance before, ServiceInstance after) {
    try {
      store.record(revision + 1, before, after);
    } catch (RuntimeException e) {
      LOG.error("Cannot save persistent instances; the change is refused", e);
      throw RegistryException.unavailable("the registry cannot save persistent instances right now");
    }
  }

  /** Folds the journal into a new snapshot once it has grown; a failure only postpones it. */
  private void compactIfDue() {
    if (!store.wantsCompaction()) {
      return;
    }
    List<ServiceInstance> persistent = new ArrayList<>();
    services.values().forEach(m -> m.values().stream().filter(i -> !i.ephemeral()).forEach(persistent::add));
    try {
      store.compact(revision, persistent);
    } catch (RuntimeException e) {
      LOG.warn("Compacting the instance store failed; will try again: {}", e.getMessage());
    }
  }

  private void publish(RegistryEvent event) {
    subscribers.publish(event);
  }
}
