package com.wz.gateway.instance;

import com.wz.gateway.registry.InstanceStatus;
import com.wz.gateway.registry.RegistryException;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static com.wz.gateway.registry.InstanceStatus.DOWN;
import static com.wz.gateway.registry.InstanceStatus.OUT_OF_SERVICE;
import static com.wz.gateway.registry.InstanceStatus.STARTING;
import static com.wz.gateway.registry.InstanceStatus.UNKNOWN;
import static com.wz.gateway.registry.InstanceStatus.UP;

/**
 * The status changes an instance may make through a status update. Setting the status an instance
 * already has is always allowed (and changes nothing). A registration may start in any status.
 *
 * <pre>
 *   STARTING       → UP, DOWN, OUT_OF_SERVICE, UNKNOWN
 *   UP             → DOWN, OUT_OF_SERVICE, UNKNOWN
 *   DOWN           → UP, STARTING, OUT_OF_SERVICE, UNKNOWN
 *   OUT_OF_SERVICE → UP, DOWN, UNKNOWN
 *   UNKNOWN        → UP, DOWN, STARTING, OUT_OF_SERVICE
 * </pre>
 *
 * STARTING is entered again only from DOWN or UNKNOWN (a restart); an instance an operator took
 * OUT_OF_SERVICE comes back explicitly (UP) rather than by slipping through STARTING.
 */
public final class StatusTransitions {

  private static final Map<InstanceStatus, Set<InstanceStatus>> ALLOWED = new EnumMap<>(InstanceStatus.class);

  static {
    ALLOWED.put(STARTING, EnumSet.of(UP, DOWN, OUT_OF_SERVICE, UNKNOWN));
    ALLOWED.put(UP, EnumSet.of(DOWN, OUT_OF_SERVICE, UNKNOWN));
    ALLOWED.put(DOWN, EnumSet.of(UP, STARTING, OUT_OF_SERVICE, UNKNOWN));
    ALLOWED.put(OUT_OF_SERVICE, EnumSet.of(UP, DOWN, UNKNOWN));
    ALLOWED.put(UNKNOWN, EnumSet.of(UP, DOWN, STARTING, OUT_OF_SERVICE));
  }

  private StatusTransitions() {
  }

  public static boolean allowed(InstanceStatus from, InstanceStatus to) {
    return from == to || ALLOWED.get(from).contains(to);
  }

  /** The statuses {@code from} may change to. */
  public static Set<InstanceStatus> from(InstanceStatus from) {
    return EnumSet.copyOf(ALLOWED.get(from));
  }

  /** Throws a 409 naming the allowed transitions when {@code from → to} is not one of them. */
  public static void require(InstanceStatus from, InstanceStatus to) {
    if (!allowed(from, to)) {
      String options = ALLOWED.get(from).stream().map(Enum::name).collect(Collectors.joining(", "));
      throw new RegistryException(409, "status cannot change from " + from + " to " + to + "; from " + from
          + " an instance may go to " + options);
    }
  }
}
