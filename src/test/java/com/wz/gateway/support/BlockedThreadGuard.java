package com.wz.gateway.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails a test during which Vert.x's blocked-thread checker complained: an event loop (or the
 * registry worker) was held longer than {@link TestGateway}'s tight limits allow.
 */
public final class BlockedThreadGuard implements BeforeEachCallback, AfterEachCallback {

  public static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.list.clear();
    appender.start();
    ((Logger) LoggerFactory.getLogger(CHECKER_LOGGER)).addAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ((Logger) LoggerFactory.getLogger(CHECKER_LOGGER)).detachAppender(appender);
    List<String> warnings = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(warnings).as("blocked-thread warnings").isEmpty();
  }

  /** What the checker said so far (for the test that proves the guard works). */
  public List<ILoggingEvent> warnings() {
    return List.copyOf(appender.list);
  }
}
