package com.wz.gateway.http;

import com.wz.gateway.bus.RegistryClient;
import com.wz.gateway.registry.InstanceCache;
import com.wz.gateway.registry.Names;
import com.wz.gateway.registry.RegistryEvent;
import com.wz.gateway.registry.RegistryException;
import com.wz.gateway.registry.ServiceKey;
import com.wz.gateway.registry.ServiceQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /events}: the change feed as Server-Sent Events, for every change or one service's
 * ({@code ?service=}). Each event's id is its revision; a client that reconnects with
 * {@code Last-Event-ID} gets every change it missed, or a {@code snapshot} when they are no longer
 * kept. A one-service stream starts with a snapshot of the service. Idle streams carry a comment
 * line every {@code heartbeatMillis}.
 */
final class FeedRoutes {

  private final Vertx vertx;
  private final ChangeFeed feed;
  private final InstanceCache cache;
  private final RegistryClient registry;
  private final String defaultGroup;
  private final long heartbeatMillis;

  FeedRoutes(Vertx vertx, ChangeFeed feed, InstanceCache cache, RegistryClient registry, String defaultGroup,
             long heartbeatMillis) {
    this.vertx = vertx;
    this.feed = feed;
    this.cache = cache;
    this.registry = registry;
    this.defaultGroup = defaultGroup;
    this.heartbeatMillis = heartbeatMillis;
  }

  void registerRoutes(Router router) {
    router.get("/events").handler(this::stream);
  }

  /** One connected client. */
  private final class Stream {
    private final HttpServerResponse response;
    private final ServiceKey key;
    private final Map<ServiceKey, Long> snapshotAt = new HashMap<>();
    private final List<RegistryEvent> held = new ArrayList<>();
    private long lastSent;
    private boolean holding;
    private boolean wrote;

    Stream(HttpServerResponse response, ServiceKey key, long lastSent) {
      this.response = response;
      this.key = key;
      this.lastSent = lastSent;
    }

    void offer(RegistryEvent event) {
      if (holding) {
        held.add(event);
      } else {
        send(event);
      }
    }

    void send(RegistryEvent event) {
      Long floor = snapshotAt.get(event.key());
      if (event.revision() <= lastSent && floor == null || floor != null && event.revision() <= floor) {
        return;
      }
      write(event.revision(), event.type().wireName(), event.toJson().encode());
    }

    void write(long id, String type, String data) {
      lastSent = Math.max(lastSent, id);
      wrote = true;
      response.write("id: " + lastSent + "\nevent: " + type + "\ndata: " + data + "\n\n");
    }

    /** Sends a snapshot of every service this stream covers, holding live events back until it is out. */
    Future<Void> snapshot() {
      holding = true;
      Future<List<ServiceKey>> keys = key != null ? Future.succeededFuture(List.of(key))
          : registry.services(new ServiceQuery(defaultGroup, null, 1, ServiceQuery.MAX_SIZE))
              .map(page -> page.services().stream().map(s -> ServiceKey.of(s.group(), s.name())).toList());
      return keys.compose(list -> {
        List<Future<InstanceCache.Snapshot>> views = list.stream().map(cache::snapshot).toList();
        return Future.join(views).map(done -> views.stream().map(Future::result).toList());
      }).map(snapshots -> {
        for (InstanceCache.Snapshot s : snapshots) {
          snapshotAt.put(s.key(), s.revision());
          RegistryEvent event = RegistryEvent.snapshot(s.revision(), s.key(), s.instances(), false);
          write(Math.max(s.revision(), feed.latest()), "snapshot", event.toJson().encode());
        }
        holding = false;
        held.forEach(this::send);
        held.clear();
        return null;
      });
    }
  }

  private void stream(RoutingContext ctx) {
    String service = ctx.queryParams().get("service");
    ServiceKey key = null;
    if (service != null && !service.isEmpty()) {
      Names.requireService(service);
      key = ServiceKey.of(Requests.group(ctx, defaultGroup), service);
    }
    Long resumeFrom = lastEventId(ctx);
    HttpServerResponse response = ctx.response()
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        .setChunked(true);
    response.write("retry: 3000\n\n");
    Stream stream = new Stream(response, key, resumeFrom == null ? 0 : resumeFrom);
    ChangeFeed.Watcher watcher = new ChangeFeed.Watcher(key, stream::offer, () -> response.end());
    feed.watch(watcher);
    long heartbeat = vertx.setPeriodic(heartbeatMillis, id -> {
      if (!stream.wrote) {
        response.write(": keep-alive\n\n");
      }
      stream.wrote = false;
    });
    response.closeHandler(v -> {
      feed.unwatch(watcher);
      vertx.cancelTimer(heartbeat);
    });
    if (resumeFrom != null) {
      List<RegistryEvent> missed = feed.since(resumeFrom, watcher);
      if (missed == null) {
        stream.snapshot();
      } else {
        missed.forEach(stream::send);
      }
    } else if (key != null) {
      stream.snapshot();
    }
  }

  private static Long lastEventId(RoutingContext ctx) {
    String header = ctx.request().getHeader("Last-Event-ID");
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      throw RegistryException.badRequest("Last-Event-ID", "must be a revision number");
    }
  }
}
