package com.wz.gateway.registry;

import com.wz.gateway.config.LeaseConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The heartbeat leases of the ephemeral instances a backend holds for its clients: when each was
 * last heard from, and which have run out. A long gap between two sweeps means the process was
 * paused (GC, a suspended VM): nobody could renew a lease meanwhile, so every lease is moved on by
 * the pause instead of all expiring at once. Confined to its owner's context.
 */
public final class LeaseBook {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseBook.class);

  /** What a sweep found: instances that missed their heartbeats (still healthy), and those whose lease ran out. */
  public record Due(List<ServiceInstance> missed, List<ServiceInstance> expired) {
  }

  private record LeaseKey(ServiceKey key, String instanceId) {
    static LeaseKey of(ServiceInstance instance) {
      return new LeaseKey(instance.key(), instance.instanceId());
    }
  }

  private final LeaseConfig config;
  private final Map<LeaseKey, Instant> anchors = new HashMap<>();
  private Instant lastSweep;

  public LeaseBook(LeaseConfig config) {
    this.config = config;
  }

  /** The instance was heard from (registered, renewed): its lease runs from its last heartbeat. */
  public void renew(ServiceInstance instance) {
    if (!instance.ephemeral()) {
      forget(instance);
      return;
    }
    anchors.put(LeaseKey.of(instance), instance.lastHeartbeatAt() != null ? instance.lastHeartbeatAt()
        : instance.registeredAt());
  }

  public void forget(ServiceInstance instance) {
    anchors.remove(LeaseKey.of(instance));
  }

  /** Which of {@code instances} are due at {@code now}; call once per sweep. */
  public Due sweep(Iterable<ServiceInstance> instances, Instant now) {
    extendOverPause(now);
    List<ServiceInstance> missed = new ArrayList<>();
    List<ServiceInstance> expired = new ArrayList<>();
    for (ServiceInstance instance : instances) {
      Instant anchor = anchors.get(LeaseKey.of(instance));
      if (!instance.ephemeral() || anchor == null) {
        continue;
      }
      Duration silent = Duration.between(anchor, now);
      if (silent.compareTo(config.removeAfter(instance)) > 0) {
        expired.add(instance);
      } else if (instance.healthy() && silent.compareTo(config.unhealthyAfter(instance)) > 0) {
        missed.add(instance);
      }
    }
    return new Due(missed, expired);
  }

  private void extendOverPause(Instant now) {
    Instant previous = lastSweep;
    lastSweep = now;
    if (previous == null) {
      return;
    }
    long gap = Duration.between(previous, now).toMillis();
    if (gap < config.pauseThresholdMillis()) {
      return;
    }
    Duration pause = Duration.ofMillis(gap);
    LOG.warn("No lease sweep for {} ms (process paused?): extending {} leases by as much", gap, anchors.size());
    anchors.replaceAll((k, anchor) -> anchor.plus(pause));
  }
}
