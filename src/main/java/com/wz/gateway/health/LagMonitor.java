package com.wz.gateway.health;

import io.vertx.core.Vertx;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event-loop lag, measured on every event loop that asks for it: a timer that should fire every
 * {@link #PERIOD_MILLIS} notes how late it fires, and a loop whose timer has not fired for a while
 * is lagging by that much right now (it is blocked). Thread-safe: loops record, the liveness check reads.
 */
public final class LagMonitor {

  public static final long PERIOD_MILLIS = 100;

  private static final class Slot {
    final AtomicLong worst = new AtomicLong();
    volatile long lastFired = System.nanoTime();
  }

  private final Map<String, Slot> slots = new ConcurrentHashMap<>();

  /** Starts measuring the event loop of the calling context (call from a verticle's start); returns the timer id. */
  public long watch(Vertx vertx, String name) {
    Slot slot = slots.computeIfAbsent(name, n -> new Slot());
    slot.lastFired = System.nanoTime();
    return vertx.setPeriodic(PERIOD_MILLIS, id -> {
      long now = System.nanoTime();
      slot.worst.accumulateAndGet(lagMillis(slot, now), Math::max);
      slot.lastFired = now;
    });
  }

  public void unwatch(String name) {
    slots.remove(name);
  }

  /** The worst lag of each loop since the last call (including a loop blocked right now); starts a new window. */
  public Map<String, Long> drain() {
    long now = System.nanoTime();
    Map<String, Long> result = new TreeMap<>();
    slots.forEach((name, slot) -> result.put(name, Math.max(slot.worst.getAndSet(0), lagMillis(slot, now))));
    return result;
  }

  private static long lagMillis(Slot slot, long now) {
    return Math.max(0, (now - slot.lastFired) / 1_000_000 - PERIOD_MILLIS);
  }
}
