package com.wz.gateway.registry;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The lifecycle status of an instance, as the owner of the instance reports it.
 * Only {@link #UP} instances may take traffic.
 */
public enum InstanceStatus {
  UP, DOWN, STARTING, OUT_OF_SERVICE, UNKNOWN;

  /** The status named {@code name} (exact, upper case), if there is one. */
  public static Optional<InstanceStatus> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return Arrays.stream(values()).filter(s -> s.name().equals(name)).findFirst();
  }

  /** "UP, DOWN, ..." for error messages. */
  public static String names() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
