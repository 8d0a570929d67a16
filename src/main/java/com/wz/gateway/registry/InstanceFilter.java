package com.wz.gateway.registry;

/**
 * Which instances of a service a reader wants.
 *
 * @param healthyOnly only instances that may take traffic (healthy, enabled and UP)
 * @param cluster only this cluster, or {@code null} for all
 * @param status only this status, or {@code null} for all
 */
public record InstanceFilter(boolean healthyOnly, String cluster, InstanceStatus status) {

  public static final InstanceFilter ALL = new InstanceFilter(false, null, null);
  public static final InstanceFilter HEALTHY = new InstanceFilter(true, null, null);

  public boolean test(ServiceInstance instance) {
    return (!healthyOnly || instance.servesTraffic())
        && (cluster == null || cluster.equals(instance.cluster()))
        && (status == null || status == instance.status());
  }
}
