package com.wz.gateway.instance;

import com.wz.gateway.bus.RegistryClient;
import com.wz.gateway.registry.RegistryException;
import com.wz.gateway.registry.ServiceKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps instances alive on the gateway's side: every {@link #beat()} renews each kept instance's
 * lease, and registers it again (from the registration it was started with) when the registry no
 * longer knows it. One timer drives them all. Confined to the context of the verticle that owns it.
 */
public final class InstanceManager {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceManager.class);

  private record Kept(String service, String group, String instanceId, JsonObject registration) {
    ServiceKey key(String defaultGroup) {
      return ServiceKey.of(group == null ? defaultGroup : group, service);
    }
  }

  private final RegistryClient registry;
  private final String defaultGroup;
  private final Map<String, Kept> kept = new LinkedHashMap<>();
  private boolean beating;

  public InstanceManager(RegistryClient registry, String defaultGroup) {
    this.registry = registry;
    this.defaultGroup = defaultGroup;
  }

  /**
   * Starts (or updates) keeping {@code instanceId} of {@code service} alive; {@code registration}
   * is the body to register it again with if its lease is ever lost.
   */
  public void startHeartbeat(String service, String group, String instanceId, JsonObject registration) {
    kept.put(id(service, group, instanceId), new Kept(service, group, instanceId, registration.copy()));
  }

  public void stopHeartbeat(String service, String group, String instanceId) {
    kept.remove(id(service, group, instanceId));
  }

  public int size() {
    return kept.size();
  }

  /** Renews every kept instance once; completes when all have answered. */
  public Future<Void> beat() {
    if (beating || kept.isEmpty()) {
      return Future.succeededFuture();
    }
    beating = true;
    List<Future<?>> beats = new ArrayList<>();
    for (Kept k : List.copyOf(kept.values())) {
      beats.add(registry.heartbeat(k.key(defaultGroup), k.instanceId()).recover(error -> renewFailed(k, error)));
    }
    return Future.join(beats).<Void>mapEmpty().eventually(() -> {
      beating = false;
      return Future.succeededFuture();
    });
  }

  private Future<RegistryClient.Change> renewFailed(Kept k, Throwable error) {
    if (error instanceof RegistryException e && e.status() == 404 && kept.containsKey(id(k.service, k.group, k.instanceId))) {
      LOG.info("Instance {} of {} was no longer registered: registering it again", k.instanceId(), k.service());
      return registry.register(k.service(), k.group(), k.registration());
    }
    LOG.warn("Could not renew instance {} of {}: {}", k.instanceId(), k.service(), error.getMessage());
    return Future.failedFuture(error);
  }

  private static String id(String service, String group, String instanceId) {
    return (group == null ? "" : group) + "@@" + service + "@@" + instanceId;
  }
}
