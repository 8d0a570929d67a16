package com.wz.gateway.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One change in the registry. Revisions grow with every change, across all services, so a
 * consumer can order events and tell what it missed.
 *
 * @param instance the instance after the change ({@code null} for a snapshot)
 * @param instances the whole list, for a {@link Type#SNAPSHOT} only
 * @param previousStatus the status before an update, or {@code null}
 * @param previousHealthy the health before an update, or {@code null}
 * @param reason why it changed: registered, re-registered, deregistered, status, heartbeat-missed, heartbeat, lease-expired...
 * @param stale for a snapshot: the backend cannot be reached and the list may be out of date
 */
public record RegistryEvent(
    Type type,
    long revision,
    ServiceKey key,
    ServiceInstance instance,
    List<ServiceInstance> instances,
    InstanceStatus previousStatus,
    Boolean previousHealthy,
    String reason,
    boolean stale) {

  public enum Type {
    REGISTERED, UPDATED, DEREGISTERED, SNAPSHOT;

    public String wireName() {
      return name().toLowerCase();
    }
  }

  public static RegistryEvent registered(long revision, ServiceInstance instance, String reason) {
    return new RegistryEvent(Type.REGISTERED, revision, instance.key(), instance, null, null, null, reason, false);
  }

  public static RegistryEvent updated(long revision, ServiceInstance before, ServiceInstance after, String reason) {
    return new RegistryEvent(Type.UPDATED, revision, after.key(), after, null, before.status(), before.healthy(), reason,
        false);
  }

  public static RegistryEvent deregistered(long revision, ServiceInstance instance, String reason) {
    return new RegistryEvent(Type.DEREGISTERED, revision, instance.key(), instance, null, null, null, reason, false);
  }

  public static RegistryEvent snapshot(long revision, ServiceKey key, List<ServiceInstance> instances, boolean stale) {
    return new RegistryEvent(Type.SNAPSHOT, revision, key, null, List.copyOf(instances), null, null,
        stale ? "backend-unreachable" : "snapshot", stale);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", type.wireName())
        .put("revision", revision)
        .put("service", key.service())
        .put("group", key.group())
        .put("reason", reason);
    if (instance != null) {
      json.put("instance", instance.toJson());
    }
    if (instances != null) {
      json.put("instances", new JsonArray(instances.stream().map(ServiceInstance::toJson).toList()));
      json.put("stale", stale);
    }
    if (previousStatus != null) {
      json.put("previousStatus", previousStatus.name());
    }
    if (previousHealthy != null) {
      json.put("previousHealthy", previousHealthy);
    }
    return json;
  }

  public static RegistryEvent fromJson(JsonObject json) {
    JsonObject instance = json.getJsonObject("instance");
    JsonArray instances = json.getJsonArray("instances");
    String previousStatus = json.getString("previousStatus");
    return new RegistryEvent(
        Type.valueOf(json.getString("type").toUpperCase()),
        json.getLong("revision"),
        ServiceKey.of(json.getString("group"), json.getString("service")),
        instance == null ? null : ServiceInstance.fromJson(instance),
        instances == null ? null : instances.stream().map(o -> ServiceInstance.fromJson((JsonObject) o)).toList(),
        previousStatus == null ? null : InstanceStatus.valueOf(previousStatus),
        json.getBoolean("previousHealthy"),
        json.getString("reason"),
        json.getBoolean("stale", false));
  }
}
