package com.wz.gateway.registry;

import java.util.Objects;

/** A service's identity: its group and its name. */
public record ServiceKey(String group, String service) implements Comparable<ServiceKey> {

  public ServiceKey {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(service, "service");
  }

  public static ServiceKey of(String group, String service) {
    return new ServiceKey(group, service);
  }

  @Override
  public int compareTo(ServiceKey other) {
    int byGroup = group.compareTo(other.group);
    return byGroup != 0 ? byGroup : service.compareTo(other.service);
  }

  @Override
  public String toString() {
    return group + "@@" + service;
  }
}
