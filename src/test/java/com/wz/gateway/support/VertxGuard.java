package com.wz.gateway.support;

import ch.qos.logback.classic.Level;
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
 * Fails a test during which Vert.x complained: its blocked-thread checker saw an event loop (or the
 * registry worker) held longer than {@link TestGateway}'s tight limits allow, or a Vert.x context
 * caught an exception that no handler took (which Vert.x only logs).
 */
public final class VertxGuard implements BeforeEachCallback, AfterEachCallback {

  public static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";
  public static final String CONTEXT_LOGGER = "io.vertx.core.impl.ContextImpl";
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.list.clear();
    appender.start();
    ((Logger) LoggerFactory.getLogger(CHECKER_LOGGER)).addAppender(appender);
    ((Logger) LoggerFactory.getLogger(CONTEXT_LOGGER)).addAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ((Logger) LoggerFactory.getLogger(CHECKER_LOGGER)).detachAppender(appender);
    ((Logger) LoggerFactory.getLogger(CONTEXT_LOGGER)).detachAppender(appender);
    assertThat(complaints()).as("blocked threads and unhandled exceptions").isEmpty();
  }

  /** What Vert.x complained of so far, with the exception's message where there is one. */
  public List<String> complaints() {
    return appender.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ": " + e.getThrowableProxy().getMessage()))
        .toList();
  }
}
