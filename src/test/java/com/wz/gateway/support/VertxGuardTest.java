package com.wz.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The Vert.x guard")
class VertxGuardTest {

  @Test
  @DisplayName("sees an event loop blocked past the tight test limit")
  void seesABlockedEventLoop() throws Exception {
    VertxGuard guard = new VertxGuard();
    guard.beforeEach(null);
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setBlockedThreadCheckInterval(50).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      vertx.runOnContext(v -> sleep(500));
      long deadline = System.currentTimeMillis() + 5000;
      while (guard.complaints().isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(guard.complaints()).isNotEmpty();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("sees an exception that no handler took, such as a promise completed twice")
  void seesAnUnhandledException() throws Exception {
    VertxGuard guard = new VertxGuard();
    guard.beforeEach(null);
    Vertx vertx = Vertx.vertx();
    try {
      vertx.runOnContext(v -> {
        io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
        promise.fail("timeout");
        promise.complete();
      });
      long deadline = System.currentTimeMillis() + 5000;
      while (guard.complaints().isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(guard.complaints()).singleElement().asString().contains("already complete");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
