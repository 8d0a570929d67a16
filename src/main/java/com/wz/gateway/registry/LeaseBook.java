package com.wz.gateway.registry;

import com.wz.gateway.config.LeaseConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The heartbeat leases of the ephemeral instances a backend holds for its clients: when each turns
 * unhealthy and when it is removed, kept as plain deadlines so that a sweep over a hundred thousand
 * leases is a loop of comparisons. A long gap between two sweeps means the process was paused (GC,
 * a suspended VM): nobody could renew a lease meanwhile, so every deadline is moved on by the pause
 * instead of all expiring at once. Confined to its owner's context.
 */
public final class LeaseBook {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseBook.class);

  /** An instance of a service. */
  public record LeaseKey(ServiceKey key, String instanceId) {
    public static LeaseKey of(ServiceInstance instance) {
      return new LeaseKey(instance.key(), instance.instanceId());
    }
  }

  /** What a sweep found: leases whose holders missed their heartbeats (reported once), and leases that ran out. */
  public record Due(List<LeaseKey> missed, List<LeaseKey> expired) {
  }

  private static final class Lease {
    long unhealthyAt;
    long removeAt;
    boolean missed;
  }

  private static final int NAMED_IN_LOG = 5;

  private final LeaseConfig config;
  private final Map<LeaseKey, Lease> leases = new HashMap<>();
  private long lastSweep = Long.MIN_VALUE;

  public LeaseBook(LeaseConfig config) {
    this.config = config;
  }

  /** The instance was heard from (registered, renewed): its lease runs from its last heartbeat. */
  public void renew(ServiceInstance instance) {
    if (!instance.ephemeral()) {
      forget(instance);
      return;
    }
    Instant from = instance.lastHeartbeatAt() != null ? instance.lastHeartbeatAt() : instance.registeredAt();
    Lease lease = leases.computeIfAbsent(LeaseKey.of(instance), k -> new Lease());
    lease.unhealthyAt = from.toEpochMilli() + config.unhealthyAfter(instance).toMillis();
    lease.removeAt = from.toEpochMilli() + config.removeAfter(instance).toMillis();
    lease.missed = !instance.healthy();
  }

  /** A lease that ran out but whose instance could not be removed yet: it is due again at the next sweep. */
  public void stillDue(ServiceInstance instance) {
    Lease lease = leases.computeIfAbsent(LeaseKey.of(instance), k -> new Lease());
    lease.unhealthyAt = Long.MIN_VALUE;
    lease.removeAt = Long.MIN_VALUE;
    lease.missed = true;
  }

  /**
   * What a sweep did to {@code instances}, for one log line however many there are: their number and
   * the first few of them ({@code "2 instances: 10.0.0.5:8080 of DEFAULT_GROUP@@web, ..."}).
   */
  public static String describe(List<ServiceInstance> instances) {
    int shown = Math.min(NAMED_IN_LOG, instances.size());
    StringBuilder text = new StringBuilder().append(instances.size())
        .append(instances.size() == 1 ? " instance: " : " instances: ");
    for (int i = 0; i < shown; i++) {
      ServiceInstance instance = instances.get(i);
      text.append(i == 0 ? "" : ", ").append(instance.instanceId()).append(" of ").append(instance.key());
    }
    return instances.size() > shown ? text.append(", ...").toString() : text.toString();
  }

  /** A missed lease whose instance could not be marked unhealthy yet: it is reported again at the next sweep. */
  public void stillMissed(ServiceInstance instance) {
    Lease lease = leases.get(LeaseKey.of(instance));
    if (lease != null) {
      lease.missed = false;
    }
  }

  public void forget(ServiceInstance instance) {
    leases.remove(LeaseKey.of(instance));
  }

  public int size() {
    return leases.size();
  }

  /** The leases due at {@code now}; call once per sweep. A lease that ran out is forgotten. */
  public Due sweep(Instant now) {
    long at = now.toEpochMilli();
    extendOverPause(at);
    List<LeaseKey> missed = new ArrayList<>();
    List<LeaseKey> expired = new ArrayList<>();
    for (Map.Entry<LeaseKey, Lease> entry : leases.entrySet()) {
      Lease lease = entry.getValue();
      if (at > lease.removeAt) {
        expired.add(entry.getKey());
      } else if (!lease.missed && at > lease.unhealthyAt) {
        lease.missed = true;
        missed.add(entry.getKey());
      }
    }
    expired.forEach(leases::remove);
    return new Due(missed, expired);
  }

  private void extendOverPause(long now) {
    long previous = lastSweep;
    lastSweep = now;
    if (previous == Long.MIN_VALUE || now - previous < config.pauseThresholdMillis()) {
      return;
    }
    long pause = now - previous;
    LOG.warn("No lease sweep for {} ms (process paused?): extending {} leases by as much", pause, leases.size());
    for (Lease lease : leases.values()) {
      lease.unhealthyAt += pause;
      lease.removeAt += pause;
    }
  }
}
