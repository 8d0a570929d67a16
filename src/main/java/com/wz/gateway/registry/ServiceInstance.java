package com.wz.gateway.registry;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One registered instance of a service, exactly as the API shows it.
 *
 * @param heartbeatIntervalSeconds the lease interval the client promised; {@code null} means the default
 * @param healthCheck an active probe the gateway runs, or {@code null}
 */
public record ServiceInstance(
    String instanceId,
    String service,
    String group,
    String ip,
    int port,
    String cluster,
    double weight,
    boolean healthy,
    boolean enabled,
    boolean ephemeral,
    InstanceStatus status,
    Map<String, String> metadata,
    Instant registeredAt,
    Instant lastHeartbeatAt,
    Integer heartbeatIntervalSeconds,
    HealthCheckSpec healthCheck) {

  public static final String DEFAULT_CLUSTER = "DEFAULT";

  public ServiceInstance {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  public ServiceKey key() {
    return ServiceKey.of(group, service);
  }

  /** The id the registry gives an instance that brings none: {@code ip:port}, plus {@code :cluster} outside DEFAULT. */
  public static String defaultInstanceId(String ip, int port, String cluster) {
    String id = ip + ":" + port;
    return DEFAULT_CLUSTER.equals(cluster) ? id : id + ":" + cluster;
  }

  /** True when the instance may be handed out to take traffic. */
  public boolean servesTraffic() {
    return healthy && enabled && status == InstanceStatus.UP;
  }

  /** True when this and {@code other} are the same endpoint: same ip, port and cluster. */
  public boolean sameEndpoint(ServiceInstance other) {
    return ip.equals(other.ip) && port == other.port && cluster.equals(other.cluster);
  }

  public ServiceInstance withStatus(InstanceStatus newStatus) {
    return new ServiceInstance(instanceId, service, group, ip, port, cluster, weight, healthy, enabled, ephemeral,
        newStatus, metadata, registeredAt, lastHeartbeatAt, heartbeatIntervalSeconds, healthCheck);
  }

  public ServiceInstance withHealthy(boolean newHealthy) {
    return new ServiceInstance(instanceId, service, group, ip, port, cluster, weight, newHealthy, enabled, ephemeral,
        status, metadata, registeredAt, lastHeartbeatAt, heartbeatIntervalSeconds, healthCheck);
  }

  public ServiceInstance withHeartbeat(Instant at) {
    return new ServiceInstance(instanceId, service, group, ip, port, cluster, weight, true, enabled, ephemeral,
        status, metadata, registeredAt, at, heartbeatIntervalSeconds, healthCheck);
  }

  /** A renewal at {@code at}: healthy again, unless an active probe decides its health. */
  public ServiceInstance renewedAt(Instant at) {
    return healthCheck == null ? withHeartbeat(at) : withLastHeartbeatAt(at);
  }

  /** The same instance with only its last heartbeat time changed (what a read cache learns of a renewal). */
  public ServiceInstance withLastHeartbeatAt(Instant at) {
    return new ServiceInstance(instanceId, service, group, ip, port, cluster, weight, healthy, enabled, ephemeral,
        status, metadata, registeredAt, at, heartbeatIntervalSeconds, healthCheck);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("instanceId", instanceId)
        .put("service", service)
        .put("group", group)
        .put("ip", ip)
        .put("port", port)
        .put("cluster", cluster)
        .put("weight", weight)
        .put("healthy", healthy)
        .put("enabled", enabled)
        .put("ephemeral", ephemeral)
        .put("status", status.name())
        .put("metadata", new JsonObject(new TreeMap<>(metadata)))
        .put("registeredAt", registeredAt.toString())
        .put("lastHeartbeatAt", lastHeartbeatAt == null ? null : lastHeartbeatAt.toString());
    if (heartbeatIntervalSeconds != null) {
      json.put("heartbeatIntervalSeconds", heartbeatIntervalSeconds);
    }
    if (healthCheck != null) {
      json.put("healthCheck", healthCheck.toJson());
    }
    return json;
  }

  /** Reads an instance written by {@link #toJson()} (the store, the event bus); the input is trusted. */
  public static ServiceInstance fromJson(JsonObject json) {
    Map<String, String> metadata = new TreeMap<>();
    json.getJsonObject("metadata", new JsonObject()).forEach(e -> metadata.put(e.getKey(), String.valueOf(e.getValue())));
    String heartbeat = json.getString("lastHeartbeatAt");
    return new ServiceInstance(
        json.getString("instanceId"),
        json.getString("service"),
        json.getString("group"),
        json.getString("ip"),
        json.getInteger("port"),
        json.getString("cluster"),
        json.getDouble("weight"),
        json.getBoolean("healthy"),
        json.getBoolean("enabled"),
        json.getBoolean("ephemeral"),
        InstanceStatus.valueOf(json.getString("status")),
        metadata,
        Instant.parse(json.getString("registeredAt")),
        heartbeat == null ? null : Instant.parse(heartbeat),
        json.getInteger("heartbeatIntervalSeconds"),
        HealthCheckSpec.fromJson(json.getJsonObject("healthCheck")));
  }
}
