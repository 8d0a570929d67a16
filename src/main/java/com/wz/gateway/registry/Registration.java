package com.wz.gateway.registry;

import com.wz.gateway.registry.RegistryException.FieldError;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validated registration request: what a client may set on an instance. Parsing collects every
 * invalid field at once and throws a 400 {@link RegistryException} naming them all.
 *
 * @param instanceId the id the client chose, or {@code null} for the default ({@link #resolvedInstanceId()})
 * @param status the status the client asked for, or {@code null}: UP for a new instance, unchanged on re-registration
 */
public record Registration(
    String service,
    String group,
    String instanceId,
    String ip,
    int port,
    String cluster,
    double weight,
    boolean enabled,
    boolean ephemeral,
    InstanceStatus status,
    Map<String, String> metadata,
    Integer heartbeatIntervalSeconds,
    HealthCheckSpec healthCheck) {

  public static final double MAX_WEIGHT = 10000.0;
  public static final int MAX_METADATA_ENTRIES = 64;
  public static final int MAX_INTERVAL_SECONDS = 3600;

  public ServiceKey key() {
    return ServiceKey.of(group, service);
  }

  public String resolvedInstanceId() {
    return instanceId != null ? instanceId : ServiceInstance.defaultInstanceId(ip, port, cluster);
  }

  /**
   * The instance of {@code instances} (one service's, by id) that this registration updates: the one
   * at the same endpoint (ip, port, cluster), or {@code null} for a new instance. A 409 when the
   * chosen id belongs to another endpoint, or the endpoint is registered under another id.
   */
  public ServiceInstance updates(Map<String, ServiceInstance> instances) {
    ServiceInstance probe = toInstance(Instant.EPOCH);
    ServiceInstance existing = instances.values().stream().filter(i -> i.sameEndpoint(probe)).findFirst().orElse(null);
    ServiceInstance holder = instances.get(resolvedInstanceId());
    if (existing == null && holder != null) {
      throw new RegistryException(409, "instanceId " + holder.instanceId() + " is already registered for "
          + holder.ip() + ":" + holder.port() + " in cluster " + holder.cluster());
    }
    if (existing != null && instanceId != null && !instanceId.equals(existing.instanceId())) {
      throw new RegistryException(409, ip + ":" + port + " in cluster " + cluster + " is already registered as "
          + existing.instanceId());
    }
    return existing;
  }

  /** The instance this registration creates, first seen at {@code now}. */
  public ServiceInstance toInstance(Instant now) {
    return new ServiceInstance(resolvedInstanceId(), service, group, ip, port, cluster, weight, true, enabled,
        ephemeral, status == null ? InstanceStatus.UP : status, metadata, now, ephemeral ? now : null,
        heartbeatIntervalSeconds, healthCheck);
  }

  /** The instance after registering {@code existing}'s endpoint again at {@code now}: it keeps its id and first registration. */
  public ServiceInstance toUpdateOf(ServiceInstance existing, Instant now) {
    ServiceInstance fresh = toInstance(now);
    return new ServiceInstance(existing.instanceId(), service, group, ip, port, cluster, weight, true, enabled,
        ephemeral, status == null ? existing.status() : status, metadata, existing.registeredAt(),
        fresh.lastHeartbeatAt(), heartbeatIntervalSeconds, healthCheck);
  }

  public static Registration parse(String service, String group, JsonObject body) {
    Names.requireService(service);
    Names.requireGroup(group);
    if (body == null) {
      throw new RegistryException(400, "a JSON object with at least ip and port is required");
    }
    Fields f = new Fields(body);
    String ip = f.string("ip", true);
    if (ip != null && !Names.isAddress(ip)) {
      f.error("ip", Names.IP_RULE);
    }
    Integer port = f.integer("port", true, 1, 65535);
    String cluster = f.string("cluster", false);
    if (cluster == null) {
      cluster = ServiceInstance.DEFAULT_CLUSTER;
    } else if (!Names.isCluster(cluster)) {
      f.error("cluster", Names.CLUSTER_RULE);
    }
    Double weight = f.number("weight", 0.0, MAX_WEIGHT);
    Boolean enabled = f.bool("enabled");
    Boolean ephemeral = f.bool("ephemeral");
    InstanceStatus status = f.status("status");
    Map<String, String> metadata = f.metadata("metadata");
    String instanceId = f.string("instanceId", false);
    if (instanceId != null && !Names.isInstanceId(instanceId)) {
      f.error("instanceId", Names.INSTANCE_ID_RULE);
    }
    Integer interval = f.integer("heartbeatIntervalSeconds", false, 1, MAX_INTERVAL_SECONDS);
    HealthCheckSpec healthCheck = f.healthCheck("healthCheck");
    f.throwIfInvalid();
    return new Registration(service, group, instanceId, ip, port, cluster,
        weight == null ? 1.0 : weight,
        enabled == null || enabled,
        ephemeral == null || ephemeral,
        status, metadata, interval, healthCheck);
  }

  /** Reads fields of one JSON object and collects what is wrong with them. */
  private static final class Fields {
    private final JsonObject body;
    private final List<FieldError> errors = new ArrayList<>();

    Fields(JsonObject body) {
      this.body = body;
    }

    void error(String field, String message) {
      errors.add(new FieldError(field, message));
    }

    void throwIfInvalid() {
      if (errors.isEmpty()) {
        return;
      }
      String detail = errors.stream().map(e -> e.field() + " " + e.message()).reduce((a, b) -> a + "; " + b).orElseThrow();
      throw new RegistryException(400, detail, errors);
    }

    private Object value(String field, boolean required) {
      Object value = body.getValue(field);
      if (value == null && required) {
        error(field, "is required");
      }
      return value;
    }

    String string(String field, boolean required) {
      Object value = value(field, required);
      if (value == null || value instanceof String) {
        return (String) value;
      }
      error(field, "must be a string");
      return null;
    }

    Integer integer(String field, boolean required, int min, int max) {
      Object value = value(field, required);
      if (value == null) {
        return null;
      }
      if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
        error(field, "must be a whole number between " + min + " and " + max);
        return null;
      }
      double d = n.doubleValue();
      if (d < min || d > max) {
        error(field, "must be between " + min + " and " + max);
        return null;
      }
      return (int) d;
    }

    Double number(String field, double min, double max) {
      Object value = value(field, false);
      if (value == null) {
        return null;
      }
      if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        error(field, "must be a number between " + min + " and " + max);
        return null;
      }
      if (n.doubleValue() < min || n.doubleValue() > max) {
        error(field, "must be between " + min + " and " + max);
        return null;
      }
      return n.doubleValue();
    }

    Boolean bool(String field) {
      Object value = value(field, false);
      if (value == null || value instanceof Boolean) {
        return (Boolean) value;
      }
      error(field, "must be true or false");
      return null;
    }

    InstanceStatus status(String field) {
      String name = string(field, false);
      if (name == null) {
        return null;
      }
      return InstanceStatus.parse(name).orElseGet(() -> {
        error(field, "must be one of " + InstanceStatus.names());
        return null;
      });
    }

    Map<String, String> metadata(String field) {
      Object value = value(field, false);
      Map<String, String> metadata = new TreeMap<>();
      if (value == null) {
        return metadata;
      }
      if (!(value instanceof JsonObject object)) {
        error(field, "must be an object of string values");
        return metadata;
      }
      if (object.size() > MAX_METADATA_ENTRIES) {
        error(field, "may have at most " + MAX_METADATA_ENTRIES + " entries");
      }
      object.forEach(e -> {
        Object v = e.getValue();
        if (e.getKey().isBlank()) {
          error(field, "keys must not be blank");
        } else if (v instanceof String || v instanceof Number || v instanceof Boolean) {
          metadata.put(e.getKey(), String.valueOf(v));
        } else {
          error(field + "." + e.getKey(), "must be a string, a number or a boolean");
        }
      });
      return metadata;
    }

    HealthCheckSpec healthCheck(String field) {
      Object value = value(field, false);
      if (value == null) {
        return null;
      }
      if (!(value instanceof JsonObject object)) {
        error(field, "must be an object with type \"http\" or \"tcp\"");
        return null;
      }
      Fields check = new Fields(object);
      String type = check.string("type", true);
      HealthCheckSpec.Type kind = null;
      if ("http".equals(type)) {
        kind = HealthCheckSpec.Type.HTTP;
      } else if ("tcp".equals(type)) {
        kind = HealthCheckSpec.Type.TCP;
      } else if (type != null) {
        check.error("type", "must be \"http\" or \"tcp\"");
      }
      String path = check.string("path", false);
      if (path != null && !path.startsWith("/")) {
        check.error("path", "must start with /");
      }
      Integer interval = check.integer("intervalSeconds", false, 1, MAX_INTERVAL_SECONDS);
      Integer timeout = check.integer("timeoutSeconds", false, 1, MAX_INTERVAL_SECONDS);
      int intervalSeconds = interval == null ? 10 : interval;
      int timeoutSeconds = timeout == null ? Math.min(5, intervalSeconds) : timeout;
      if (timeoutSeconds > intervalSeconds) {
        check.error("timeoutSeconds", "must not be longer than intervalSeconds");
      }
      check.errors.forEach(e -> error(field + "." + e.field(), e.message()));
      if (!check.errors.isEmpty()) {
        return null;
      }
      String probePath = kind == HealthCheckSpec.Type.HTTP ? (path == null ? "/" : path) : null;
      return new HealthCheckSpec(kind, probePath, intervalSeconds, timeoutSeconds);
    }
  }
}
