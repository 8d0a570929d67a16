package com.wz.gateway.registry.nacos;

import com.alibaba.nacos.api.exception.NacosException;
import com.alibaba.nacos.api.naming.pojo.Instance;
import com.wz.gateway.config.LeaseConfig;
import com.wz.gateway.config.NacosConfig;
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
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The registry on a Nacos server. Instances registered through the gateway are <em>owned</em>:
 * the gateway holds them in Nacos (ephemeral ones on its connection, all of a service's in one
 * batch), keeps their leases and their status. Reads come from a view of each service, filled on
 * first read and kept current by Nacos push; owned instances overlay what Nacos says of them.
 *
 * <p>Confined to the registry worker's context: every call here may block on Nacos. Push callbacks
 * arrive on Nacos threads and are handed to that context before they touch anything. Reachability
 * is probed off that context, so a Nacos outage never stalls the worker: writes then fail at once
 * with 503, reads answer from the views marked stale.
 */
public final class NacosRegistry implements ServiceRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(NacosRegistry.class);
  private static final int NACOS_PAGE = 100;
  private static final int READ_THREADS = 4;
  private static final long LATE_PUSH_NANOS = 10_000_000_000L;

  private final Vertx vertx;
  private final Context context;
  private final NacosNaming naming;
  private final String serverAddr;
  private final Clock clock;
  private final boolean emptyPushProtection;
  private final long emptyPushConfirmMillis;
  private final LeaseBook leases;
  private final Map<ServiceKey, LinkedHashMap<String, ServiceInstance>> owned = new HashMap<>();
  private final Map<ServiceKey, LinkedHashMap<String, ServiceInstance>> views = new HashMap<>();
  private final Set<ServiceKey> subscribed = new HashSet<>();
  /** Owned instances just removed (id → until when, nanoTime), which a push from before the removal must not bring back. */
  private final Map<ServiceKey, Map<String, Long>> justRemoved = new HashMap<>();
  private final Set<ServiceKey> wanted = new HashSet<>();
  private final WorkerExecutor prober;
  /** Reads that need none of this registry's state (service counts), several at once, off the worker. */
  private final WorkerExecutor reads;
  private final Subscribers subscribers = new Subscribers();
  private final long probeTimer;
  private volatile boolean reachable;
  private boolean probing;
  private long revision;
  private long protectedPushes;
  private int waitingForNacos;

  /** Call on the registry worker's context. */
  public NacosRegistry(NacosNaming naming, NacosConfig config, LeaseConfig lease, Clock clock) {
    this.context = Vertx.currentContext();
    this.vertx = context.owner();
    this.naming = naming;
    this.serverAddr = config.servers();
    this.clock = clock;
    this.emptyPushProtection = config.emptyPushProtection();
    this.emptyPushConfirmMillis = config.emptyPushConfirmMillis();
    this.leases = new LeaseBook(lease);
    this.reachable = naming.connected();
    this.revision = clock.millis() * 1000;
    LOG.info("Nacos at {} is {}; empty-push protection is {}", serverAddr, reachable ? "reachable" : "NOT reachable",
        emptyPushProtection ? "on" : "off");
    this.prober = vertx.createSharedWorkerExecutor("nacos-probe", 1);
    this.reads = vertx.createSharedWorkerExecutor("nacos-reads", READ_THREADS);
    this.probeTimer = vertx.setPeriodic(config.probeIntervalMillis(), id -> probe());
  }

  @Override
  public boolean reachable() {
    return reachable;
  }

  @Override
  public Future<Registered> register(Registration registration) {
    return RegistryException.capture(() -> {
      requireReachable();
      ServiceInstance existing = registration.updates(owned.getOrDefault(registration.key(), new LinkedHashMap<>()));
      Instant now = clock.instant();
      ServiceInstance after = existing == null ? registration.toInstance(now) : registration.toUpdateOf(existing, now);
      write(existing, after);
      leases.renew(after);
      if (existing == null) {
        publish(RegistryEvent.registered(++revision, after, "registered"));
      } else {
        publish(RegistryEvent.updated(++revision, existing, after, "re-registered"));
      }
      return new Registered(after, existing == null);
    });
  }

  @Override
  public Future<ServiceInstance> deregister(ServiceKey key, String instanceId) {
    return RegistryException.capture(() -> {
      requireReachable();
      ServiceInstance existing = requireOwned(key, instanceId);
      write(existing, null);
      leases.forget(existing);
      publish(RegistryEvent.deregistered(++revision, existing, "deregistered"));
      return existing;
    });
  }

  @Override
  public Future<ServiceInstance> updateStatus(ServiceKey key, String instanceId, InstanceStatus status) {
    return RegistryException.capture(() -> {
      requireReachable();
      ServiceInstance existing = requireOwned(key, instanceId);
      StatusTransitions.require(existing.status(), status);
      return change(existing, i -> i.withStatus(status), "status");
    });
  }

  @Override
  public Future<ServiceInstance> heartbeat(ServiceKey key, String instanceId) {
    return RegistryException.capture(() -> {
      ServiceInstance existing = requireOwned(key, instanceId);
      ServiceInstance renewed = existing.renewedAt(clock.instant());
      leases.renew(renewed);
      if (renewed.healthy() != existing.healthy()) {
        requireReachable();
        return change(existing, i -> renewed, "heartbeat");
      }
      owned.get(key).put(instanceId, renewed);
      overlay(renewed);
      return renewed;
    });
  }

  @Override
  public Future<ServiceInstance> reportProbe(ServiceKey key, String instanceId, boolean healthy, boolean renew) {
    return RegistryException.capture(() -> {
      ServiceInstance existing = requireOwned(key, instanceId);
      ServiceInstance after = renew && existing.ephemeral() ? existing.withLastHeartbeatAt(clock.instant()) : existing;
      if (renew) {
        leases.renew(after);
      }
      if (existing.healthy() != healthy) {
        requireReachable();
        ServiceInstance judged = after.withHealthy(healthy);
        return change(existing, i -> judged, healthy ? "probe-passed" : "probe-failed");
      }
      owned.get(key).put(instanceId, after);
      overlay(after);
      return after;
    });
  }

  @Override
  public Future<List<ServiceInstance>> probeTargets() {
    return Future.succeededFuture(ServiceRegistry.withHealthCheck(owned.values()));
  }

  @Override
  public Future<ServiceInstances> instances(ServiceKey key) {
    return RegistryException.capture(() -> {
      if (!subscribed.contains(key)) {
        if (reachable) {
          subscribe(key);
        } else {
          wanted.add(key);
        }
      }
      return new ServiceInstances(key, revision, List.copyOf(view(key).values()), !reachable);
    });
  }

  @Override
  public Future<ServicePage> services(ServiceQuery query) {
    return RegistryException.capture(() -> {
      Set<String> names = new TreeSet<>();
      if (reachable) {
        names.addAll(serviceNames(query.group()));
      } else {
        views.keySet().stream().filter(k -> k.group().equals(query.group())).forEach(k -> names.add(k.service()));
      }
      owned.forEach((k, v) -> {
        if (k.group().equals(query.group()) && !v.isEmpty()) {
          names.add(k.service());
        }
      });
      List<String> matching = names.stream().filter(query::matches).toList();
      return ServicePage.of(matching.stream().map(n -> new ServiceSummary(n, query.group(), 0, 0)).toList(),
          query.page(), query.size());
    }).compose(page -> {
      List<Future<ServiceSummary>> counted = page.services().stream()
          .map(s -> counted(ServiceKey.of(s.group(), s.name()))).toList();
      return Future.all(counted).map(done -> new ServicePage(counted.stream().map(Future::result).toList(),
          page.total(), page.page(), page.size()));
    });
  }

  /**
   * A service with its counts: from its view when the gateway watches it (or Nacos is away), else
   * read from Nacos on the reads executor, so that the worker answers other requests meanwhile.
   */
  private Future<ServiceSummary> counted(ServiceKey key) {
    if (!reachable || subscribed.contains(key)) {
      return Future.succeededFuture(summary(key, view(key)));
    }
    return reads.executeBlocking(() -> fetch(key), false).map(instances -> summary(key, instances));
  }

  private static ServiceSummary summary(ServiceKey key, Map<String, ServiceInstance> instances) {
    int serving = (int) instances.values().stream().filter(ServiceInstance::servesTraffic).count();
    return new ServiceSummary(key.service(), key.group(), instances.size(), serving);
  }

  @Override
  public Future<Counts> counts() {
    Set<ServiceKey> keys = new HashSet<>(views.keySet());
    keys.addAll(owned.keySet());
    return Future.succeededFuture(Counts.of(keys.stream().map(this::view).toList()));
  }

  @Override
  public Future<Void> expireLeases() {
    LeaseBook.Due due = leases.sweep(clock.instant());
    List<ServiceInstance> missed = new ArrayList<>();
    List<ServiceInstance> waiting = new ArrayList<>();
    for (LeaseBook.LeaseKey lease : due.missed()) {
      ServiceInstance instance = ownedInstance(lease);
      if (instance != null && instance.healthy()) {
        RegistryException.capture(() -> change(instance, i -> i.withHealthy(false), "heartbeat-missed"))
            .onSuccess(i -> missed.add(instance))
            .onFailure(e -> {
              leases.stillMissed(instance);
              waiting.add(instance);
            });
      }
    }
    List<ServiceInstance> expired = new ArrayList<>();
    for (LeaseBook.LeaseKey lease : due.expired()) {
      ServiceInstance instance = ownedInstance(lease);
      if (instance == null) {
        continue;
      }
      RegistryException.capture(() -> {
        write(instance, null);
        publish(RegistryEvent.deregistered(++revision, instance, "lease-expired"));
        return instance;
      }).onSuccess(i -> expired.add(instance)).onFailure(e -> {
        leases.stillDue(instance);
        waiting.add(instance);
      });
    }
    if (!missed.isEmpty()) {
      LOG.info("Missed their heartbeats, now unhealthy: {}", LeaseBook.describe(missed));
    }
    if (!expired.isEmpty()) {
      LOG.info("Leases expired, removed from Nacos: {}", LeaseBook.describe(expired));
    }
    if (waiting.size() != waitingForNacos) {
      waitingForNacos = waiting.size();
      if (!waiting.isEmpty()) {
        LOG.warn("Lease changes wait for Nacos (retried every sweep): {}", LeaseBook.describe(waiting));
      }
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
    vertx.cancelTimer(probeTimer);
    prober.close();
    reads.close();
    try {
      naming.close();
    } catch (NacosException e) {
      LOG.warn("Closing the Nacos client: {}", e.getMessage());
    }
    return Future.succeededFuture();
  }

  private ServiceInstance ownedInstance(LeaseBook.LeaseKey lease) {
    Map<String, ServiceInstance> instances = owned.get(lease.key());
    return instances == null ? null : instances.get(lease.instanceId());
  }

  /** How many empty pushes were ignored because the service had instances that could take traffic. */
  public long protectedPushes() {
    return protectedPushes;
  }

  private ServiceInstance change(ServiceInstance before, UnaryOperator<ServiceInstance> update, String reason) {
    ServiceInstance after = update.apply(before);
    if (after.equals(before)) {
      return before;
    }
    write(before, after);
    publish(RegistryEvent.updated(++revision, before, after, reason));
    return after;
  }

  /** Replaces owned {@code before} by {@code after} (either may be null) in Nacos, then here. */
  private void write(ServiceInstance before, ServiceInstance after) {
    ServiceInstance any = after != null ? after : before;
    ServiceKey key = any.key();
    LinkedHashMap<String, ServiceInstance> next = new LinkedHashMap<>(owned.getOrDefault(key, new LinkedHashMap<>()));
    boolean replaced = before != null && after != null && before.instanceId().equals(after.instanceId());
    if (before != null && !replaced) {
      next.remove(before.instanceId());
    }
    if (after != null) {
      next.put(after.instanceId(), after);
    }
    try {
      boolean ephemeralChanged = (before != null && before.ephemeral()) || (after != null && after.ephemeral());
      if (ephemeralChanged) {
        List<Instance> ephemeral = next.values().stream().filter(ServiceInstance::ephemeral)
            .map(NacosMapping::toNacos).toList();
        if (ephemeral.isEmpty()) {
          naming.releaseEphemeral(key.service(), key.group(), NacosMapping.toNacos(before));
        } else {
          naming.holdEphemeral(key.service(), key.group(), ephemeral);
        }
      }
      if (before != null && !before.ephemeral() && (after == null || after.ephemeral() || !after.sameEndpoint(before))) {
        naming.deregisterPersistent(key.service(), key.group(), NacosMapping.toNacos(before));
      }
      if (after != null && !after.ephemeral()) {
        naming.registerPersistent(key.service(), key.group(), NacosMapping.toNacos(after));
      }
    } catch (NacosException e) {
      throw refused(e);
    }
    if (next.isEmpty()) {
      owned.remove(key);
    } else {
      owned.put(key, next);
    }
    if (before != null && !replaced) {
      LinkedHashMap<String, ServiceInstance> view = views.get(key);
      if (view != null) {
        view.remove(before.instanceId());
      }
      justRemoved.computeIfAbsent(key, k -> new HashMap<>()).put(before.instanceId(), System.nanoTime() + LATE_PUSH_NANOS);
    }
    if (after != null) {
      justRemoved.getOrDefault(key, new HashMap<>()).remove(after.instanceId());
      overlay(after);
    }
  }

  private void overlay(ServiceInstance instance) {
    LinkedHashMap<String, ServiceInstance> view = views.get(instance.key());
    if (view != null) {
      view.put(instance.instanceId(), instance);
    }
  }

  /** The service as this gateway sees it: the view from Nacos with owned instances over it. */
  private LinkedHashMap<String, ServiceInstance> view(ServiceKey key) {
    LinkedHashMap<String, ServiceInstance> merged = new LinkedHashMap<>(views.getOrDefault(key, new LinkedHashMap<>()));
    owned.getOrDefault(key, new LinkedHashMap<>()).forEach(merged::put);
    return merged;
  }

  private void subscribe(ServiceKey key) {
    LinkedHashMap<String, ServiceInstance> fresh = fetch(key);
    views.put(key, fresh);
    subscribed.add(key);
    try {
      naming.subscribe(key.service(), key.group(), list -> context.runOnContext(v -> onPush(key, list)));
    } catch (NacosException e) {
      subscribed.remove(key);
      throw refused(e);
    }
  }

  /** The service as Nacos has it now. Touches no state of this registry: safe on any thread. */
  private LinkedHashMap<String, ServiceInstance> fetch(ServiceKey key) {
    try {
      return toView(key, naming.instances(key.service(), key.group()));
    } catch (NacosException e) {
      throw refused(e);
    }
  }

  private LinkedHashMap<String, ServiceInstance> toView(ServiceKey key, List<Instance> list) {
    Instant now = clock.instant();
    LinkedHashMap<String, ServiceInstance> view = new LinkedHashMap<>();
    list.stream()
        .map(n -> NacosMapping.fromNacos(key, n, now))
        .sorted(Comparator.comparing(ServiceInstance::registeredAt).thenComparing(ServiceInstance::instanceId))
        .forEach(i -> view.put(i.instanceId(), i));
    return view;
  }

  /**
   * A full list pushed by Nacos: publish what changed. An empty push for a service that has
   * instances able to serve (as Nacos sends while it restarts) is held back until the server,
   * asked directly a little later, confirms the service is empty.
   */
  private void onPush(ServiceKey key, List<Instance> list) {
    if (!subscribed.contains(key)) {
      return;
    }
    LinkedHashMap<String, ServiceInstance> pushed = withoutJustRemoved(key, toView(key, list));
    if (pushed.isEmpty() && emptyPushProtection && view(key).values().stream().anyMatch(ServiceInstance::servesTraffic)) {
      protectedPushes++;
      LOG.warn("Nacos pushed an empty list for {}, which has instances that serve: kept until the server confirms"
          + " (empty-push protection, {} so far)", key, protectedPushes);
      vertx.setTimer(emptyPushConfirmMillis, t -> confirmEmpty(key));
      return;
    }
    apply(key, pushed);
  }

  /**
   * {@code pushed} less the instances this gateway removed after Nacos made the push: Nacos pushes
   * asynchronously, and a push can overtake the removal. One is let through again once a push no
   * longer has it (Nacos has caught up), or after a while.
   */
  private LinkedHashMap<String, ServiceInstance> withoutJustRemoved(ServiceKey key,
                                                                    LinkedHashMap<String, ServiceInstance> pushed) {
    Map<String, Long> removed = justRemoved.get(key);
    if (removed == null) {
      return pushed;
    }
    long now = System.nanoTime();
    removed.entrySet().removeIf(e -> now - e.getValue() > 0 || !pushed.containsKey(e.getKey()));
    removed.keySet().forEach(pushed::remove);
    if (removed.isEmpty()) {
      justRemoved.remove(key);
    }
    return pushed;
  }

  private void confirmEmpty(ServiceKey key) {
    if (!reachable || !subscribed.contains(key)) {
      return;
    }
    try {
      apply(key, toView(key, naming.instances(key.service(), key.group())));
    } catch (NacosException e) {
      LOG.warn("Could not confirm the empty push for {}: {}", key, e.getErrMsg());
    }
  }

  private void apply(ServiceKey key, LinkedHashMap<String, ServiceInstance> fromNacos) {
    LinkedHashMap<String, ServiceInstance> before = view(key);
    views.put(key, fromNacos);
    LinkedHashMap<String, ServiceInstance> after = view(key);
    after.forEach((id, instance) -> {
      ServiceInstance old = before.get(id);
      if (old == null) {
        publish(RegistryEvent.registered(++revision, instance, "nacos-push"));
      } else if (!old.equals(instance)) {
        publish(RegistryEvent.updated(++revision, old, instance, "nacos-push"));
      }
    });
    before.forEach((id, instance) -> {
      if (!after.containsKey(id)) {
        publish(RegistryEvent.deregistered(++revision, instance, "nacos-push"));
      }
    });
  }

  /** Runs off the worker: a Nacos outage makes this call slow, never the registry. */
  private void probe() {
    if (probing) {
      return;
    }
    probing = true;
    prober.executeBlocking(naming::connected, false).onComplete(ar -> {
      probing = false;
      boolean now = ar.succeeded() && ar.result();
      if (now != reachable) {
        reachable = now;
        if (now) {
          recovered();
        } else {
          lost();
        }
      }
    });
  }

  private void lost() {
    LOG.warn("Nacos at {} is not reachable: reads are served stale, writes are refused", serverAddr);
    subscribed.forEach(key -> publish(RegistryEvent.snapshot(++revision, key, List.copyOf(view(key).values()), true)));
  }

  private void recovered() {
    LOG.info("Nacos at {} is reachable again: registering {} owned services again and refreshing {} views",
        serverAddr, owned.size(), subscribed.size() + wanted.size());
    for (Map.Entry<ServiceKey, LinkedHashMap<String, ServiceInstance>> entry : Map.copyOf(owned).entrySet()) {
      ServiceKey key = entry.getKey();
      try {
        List<Instance> ephemeral = entry.getValue().values().stream().filter(ServiceInstance::ephemeral)
            .map(NacosMapping::toNacos).toList();
        if (!ephemeral.isEmpty()) {
          naming.holdEphemeral(key.service(), key.group(), ephemeral);
        }
        for (ServiceInstance instance : entry.getValue().values()) {
          if (!instance.ephemeral()) {
            naming.registerPersistent(key.service(), key.group(), NacosMapping.toNacos(instance));
          }
        }
      } catch (NacosException e) {
        LOG.warn("Registering {} again failed: {}", key, e.getMessage());
      }
    }
    for (ServiceKey key : List.copyOf(wanted)) {
      try {
        subscribe(key);
        wanted.remove(key);
      } catch (RegistryException e) {
        LOG.warn("Subscribing to {} failed: {}", key, e.getMessage());
      }
    }
    for (ServiceKey key : List.copyOf(subscribed)) {
      try {
        views.put(key, toView(key, naming.instances(key.service(), key.group())));
      } catch (NacosException e) {
        LOG.warn("Refreshing {} failed: {}", key, e.getMessage());
      }
      publish(RegistryEvent.snapshot(++revision, key, List.copyOf(view(key).values()), false));
    }
  }

  private List<String> serviceNames(String group) {
    List<String> names = new ArrayList<>();
    try {
      for (int page = 1; ; page++) {
        NacosNaming.ServiceNames result = naming.services(page, NACOS_PAGE, group);
        names.addAll(result.names());
        if (result.names().isEmpty() || names.size() >= result.total()) {
          return names;
        }
      }
    } catch (NacosException e) {
      throw refused(e);
    }
  }

  private void requireReachable() {
    if (!reachable) {
      throw RegistryException.unavailable("Nacos at " + serverAddr + " cannot be reached; try again later");
    }
  }

  /**
   * The owned instance, or a persistent one found in Nacos (registered by an earlier run of the
   * gateway, or by anyone: persistent instances belong to no connection), which is adopted.
   */
  private ServiceInstance requireOwned(ServiceKey key, String instanceId) {
    ServiceInstance instance = owned.getOrDefault(key, new LinkedHashMap<>()).get(instanceId);
    if (instance != null) {
      return instance;
    }
    if (!subscribed.contains(key) && reachable) {
      subscribe(key);
    }
    ServiceInstance seen = views.getOrDefault(key, new LinkedHashMap<>()).get(instanceId);
    if (seen != null && !seen.ephemeral()) {
      owned.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(instanceId, seen);
      return seen;
    }
    if (seen != null) {
      throw new RegistryException(409, "instance " + instanceId + " of service " + key.service()
          + " was registered in Nacos by another client; only that client can change it");
    }
    throw RegistryException.unknownInstance(key, instanceId);
  }

  private RegistryException refused(NacosException e) {
    int code = e.getErrCode();
    String message = e.getErrMsg() == null ? "" : e.getErrMsg();
    if (code == NacosException.CONFLICT || message.contains("can't register") || message.contains("ephemeral service")
        || message.contains("persistent service")) {
      return new RegistryException(409, "Nacos refused the request: " + message);
    }
    if (code == NacosException.INVALID_PARAM || code == NacosException.CLIENT_INVALID_PARAM) {
      return new RegistryException(400, "Nacos refused the request: " + message);
    }
    LOG.warn("Nacos call failed ({}): {}", code, e.getErrMsg());
    return RegistryException.unavailable("Nacos at " + serverAddr + " did not take the request: " + e.getErrMsg());
  }

  private void publish(RegistryEvent event) {
    subscribers.publish(event);
  }
}
