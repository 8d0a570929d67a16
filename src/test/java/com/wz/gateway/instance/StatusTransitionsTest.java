package com.wz.gateway.instance;

import com.wz.gateway.registry.InstanceStatus;
import com.wz.gateway.registry.RegistryException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;

import static com.wz.gateway.registry.InstanceStatus.DOWN;
import static com.wz.gateway.registry.InstanceStatus.OUT_OF_SERVICE;
import static com.wz.gateway.registry.InstanceStatus.STARTING;
import static com.wz.gateway.registry.InstanceStatus.UNKNOWN;
import static com.wz.gateway.registry.InstanceStatus.UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Status transitions")
class StatusTransitionsTest {

  @ParameterizedTest
  @EnumSource(InstanceStatus.class)
  @DisplayName("staying in the same status is always allowed")
  void sameStatus(InstanceStatus status) {
    assertThat(StatusTransitions.allowed(status, status)).isTrue();
  }

  @Test
  @DisplayName("the table: STARTING only from DOWN or UNKNOWN, everything else between any two")
  void table() {
    assertThat(StatusTransitions.from(STARTING)).isEqualTo(EnumSet.of(UP, DOWN, OUT_OF_SERVICE, UNKNOWN));
    assertThat(StatusTransitions.from(UP)).isEqualTo(EnumSet.of(DOWN, OUT_OF_SERVICE, UNKNOWN));
    assertThat(StatusTransitions.from(DOWN)).isEqualTo(EnumSet.of(UP, STARTING, OUT_OF_SERVICE, UNKNOWN));
    assertThat(StatusTransitions.from(OUT_OF_SERVICE)).isEqualTo(EnumSet.of(UP, DOWN, UNKNOWN));
    assertThat(StatusTransitions.from(UNKNOWN)).isEqualTo(EnumSet.of(UP, DOWN, STARTING, OUT_OF_SERVICE));
  }

  @Test
  @DisplayName("a refused transition is a 409")
  void refusal() {
    assertThatThrownBy(() -> StatusTransitions.require(OUT_OF_SERVICE, STARTING))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(409));
  }
}
