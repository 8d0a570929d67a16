package com.wz.gateway.registry;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A service registry backend: the embedded one or Nacos. Every operation answers with a future; a
 * refused operation fails with a {@link RegistryException} whose status says why.
 *
 * <p>Implementations are owned by the {@code RegistryVerticle} and called on its (worker) context
 * only, so they may block and need no locking of their own.
 */
public interface ServiceRegistry {

  /** What {@link #register} did: {@code created} is false when the same endpoint was registered again. */
  record Registered(ServiceInstance instance, boolean created) {
  }

  /**
   * How much the registry holds: services, instances, how many instances are healthy (by heartbeat
   * or health check) and how many may take traffic (healthy, enabled and UP).
   */
  record Counts(int services, int instances, int healthyInstances, int servingInstances) {

    /** The counts of {@code services}, each a map of its instances by id. */
    public static Counts of(Collection<? extends Map<String, ServiceInstance>> services) {
      int instances = 0;
      int healthy = 0;
      int serving = 0;
      for (Map<String, ServiceInstance> list : services) {
        for (ServiceInstance instance : list.values()) {
          instances++;
          healthy += instance.healthy() ? 1 : 0;
          serving += instance.servesTraffic() ? 1 : 0;
        }
      }
      return new Counts(services.size(), instances, healthy, serving);
    }
  }

  /** The instances of {@code services} (each a map of its instances by id) that carry an active health check. */
  static List<ServiceInstance> withHealthCheck(Collection<? extends Map<String, ServiceInstance>> services) {
    List<ServiceInstance> found = new java.util.ArrayList<>();
    services.forEach(m -> m.values().stream().filter(i -> i.healthCheck() != null).forEach(found::add));
    return found;
  }

  /** Registers an instance, or updates it when the same ip, port and cluster are registered again. */
  Future<Registered> register(Registration registration);

  /** Removes an instance; fails with 404 when it is unknown. */
  Future<ServiceInstance> deregister(ServiceKey key, String instanceId);

  /** Sets an instance's status; fails with 404 when it is unknown. */
  Future<ServiceInstance> updateStatus(ServiceKey key, String instanceId, InstanceStatus status);

  /**
   * Renews an instance's lease; fails with 404 when it is unknown, so that the client registers again.
   * It also makes the instance healthy again, unless an active probe decides its health.
   */
  Future<ServiceInstance> heartbeat(ServiceKey key, String instanceId);

  /**
   * Applies what the gateway's active probe says of an instance: {@code healthy} is the verdict
   * (after its thresholds); {@code renew} renews the lease, as a passing probe keeps an instance alive.
   */
  Future<ServiceInstance> reportProbe(ServiceKey key, String instanceId, boolean healthy, boolean renew);

  /** The instances this gateway holds that carry an active health check. */
  Future<List<ServiceInstance>> probeTargets();

  /** A service's instances; an unknown service has none. */
  Future<ServiceInstances> instances(ServiceKey key);

  /**
   * A page of the services of one group, sorted by name: those that have instances; on Nacos, also
   * a service whose last instance left, until Nacos removes empty services itself.
   */
  Future<ServicePage> services(ServiceQuery query);

  /** Counts what the registry holds, across all groups. */
  Future<Counts> counts();

  /**
   * Ends the leases that have run out: instances without a heartbeat for too long turn unhealthy,
   * then ephemeral ones are removed. Backends whose server keeps leases itself do nothing.
   */
  Future<Void> expireLeases();

  /** Calls {@code listener} with every change of the service {@code key}, or of every service when it is null. */
  Subscription subscribe(ServiceKey key, Consumer<RegistryEvent> listener);

  /** Whether the backend can take writes now; reads still answer (marked stale) when it cannot. */
  default boolean reachable() {
    return true;
  }

  /** The revision of the newest change. */
  long revision();

  /** Releases the backend; the registry answers nothing after this. */
  Future<Void> close();

  /** A registered listener; {@link #cancel()} unsubscribes it. */
  interface Subscription {
    void cancel();
  }
}
