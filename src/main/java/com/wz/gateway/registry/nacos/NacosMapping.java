package com.wz.gateway.registry.nacos;

import com.alibaba.nacos.api.naming.pojo.Instance;
import com.wz.gateway.registry.HealthCheckSpec;
import com.wz.gateway.registry.InstanceStatus;
import com.wz.gateway.registry.ServiceInstance;
import com.wz.gateway.registry.ServiceKey;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Instances to and from Nacos. Nacos knows {@code healthy}, {@code enabled} and {@code weight}, not
 * our status: an instance that may not take traffic (not UP, not healthy or not enabled) is
 * registered unhealthy and with weight 0, which every Nacos consumer's healthy selection leaves out,
 * and the truth travels in {@code gateway.*} metadata so that it survives a round trip. It stays
 * {@code enabled}: Nacos hides disabled instances from every query, which would lose them.
 */
final class NacosMapping {

  static final String PREFIX = "gateway.";
  static final String STATUS = PREFIX + "status";
  static final String ENABLED = PREFIX + "enabled";
  static final String HEALTHY = PREFIX + "healthy";
  static final String WEIGHT = PREFIX + "weight";
  static final String INSTANCE_ID = PREFIX + "instanceId";
  static final String REGISTERED_AT = PREFIX + "registeredAt";
  static final String HEARTBEAT_INTERVAL = PREFIX + "heartbeatIntervalSeconds";
  static final String HEALTH_CHECK = PREFIX + "healthCheck";

  private NacosMapping() {
  }

  static Instance toNacos(ServiceInstance instance) {
    Instance nacos = new Instance();
    nacos.setIp(instance.ip());
    nacos.setPort(instance.port());
    boolean serves = instance.servesTraffic();
    nacos.setWeight(serves ? instance.weight() : 0.0);
    nacos.setClusterName(instance.cluster());
    nacos.setEphemeral(instance.ephemeral());
    nacos.setHealthy(serves);
    nacos.setEnabled(true);
    Map<String, String> metadata = new HashMap<>(instance.metadata());
    metadata.put(STATUS, instance.status().name());
    metadata.put(ENABLED, String.valueOf(instance.enabled()));
    metadata.put(HEALTHY, String.valueOf(instance.healthy()));
    metadata.put(WEIGHT, String.valueOf(instance.weight()));
    metadata.put(INSTANCE_ID, instance.instanceId());
    metadata.put(REGISTERED_AT, instance.registeredAt().toString());
    if (instance.heartbeatIntervalSeconds() != null) {
      metadata.put(HEARTBEAT_INTERVAL, String.valueOf(instance.heartbeatIntervalSeconds()));
    }
    if (instance.healthCheck() != null) {
      metadata.put(HEALTH_CHECK, instance.healthCheck().toJson().encode());
    }
    nacos.setMetadata(metadata);
    return nacos;
  }

  /**
   * An instance Nacos holds, as the API shows it. Instances registered by plain Nacos clients carry
   * no {@code gateway.*} metadata: they are UP, with Nacos's own flags, first seen at {@code seenAt}.
   */
  static ServiceInstance fromNacos(ServiceKey key, Instance nacos, Instant seenAt) {
    Map<String, String> source = nacos.getMetadata() == null ? Map.of() : nacos.getMetadata();
    Map<String, String> metadata = new TreeMap<>();
    source.forEach((k, v) -> {
      if (!k.startsWith(PREFIX)) {
        metadata.put(k, v);
      }
    });
    String cluster = nacos.getClusterName() == null || nacos.getClusterName().isEmpty()
        ? ServiceInstance.DEFAULT_CLUSTER : nacos.getClusterName();
    InstanceStatus status = InstanceStatus.parse(source.get(STATUS)).orElse(InstanceStatus.UP);
    boolean enabled = source.containsKey(ENABLED) ? Boolean.parseBoolean(source.get(ENABLED)) : nacos.isEnabled();
    boolean healthy = source.containsKey(HEALTHY) ? Boolean.parseBoolean(source.get(HEALTHY)) : nacos.isHealthy();
    double weight = source.containsKey(WEIGHT) ? Double.parseDouble(source.get(WEIGHT)) : nacos.getWeight();
    String id = source.getOrDefault(INSTANCE_ID, ServiceInstance.defaultInstanceId(nacos.getIp(), nacos.getPort(), cluster));
    Instant registeredAt = parseInstant(source.get(REGISTERED_AT), seenAt);
    Integer interval = source.containsKey(HEARTBEAT_INTERVAL) ? Integer.valueOf(source.get(HEARTBEAT_INTERVAL)) : null;
    HealthCheckSpec check = source.containsKey(HEALTH_CHECK)
        ? HealthCheckSpec.fromJson(new JsonObject(source.get(HEALTH_CHECK))) : null;
    return new ServiceInstance(id, key.service(), key.group(), nacos.getIp(), nacos.getPort(), cluster,
        weight, healthy, enabled, nacos.isEphemeral(), status, metadata, registeredAt, null, interval, check);
  }

  private static Instant parseInstant(String value, Instant fallback) {
    try {
      return value == null ? fallback : Instant.parse(value);
    } catch (RuntimeException e) {
      return fallback;
    }
  }
}
