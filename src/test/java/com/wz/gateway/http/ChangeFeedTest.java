package com.wz.gateway.http;

import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.wz.gateway.support.TestGateway.BASE;
import static com.wz.gateway.support.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxGuard.class)
@DisplayName("The change feed (Server-Sent Events)")
class ChangeFeedTest {

  private static final String PAY = BASE + "/services/pay/instances";

  @TempDir
  Path dataDir;
  private TestGateway gateway;
  private HttpClient http;

  /** One event of the stream. */
  record Event(long id, String type, JsonObject data) {
  }

  /** A connected stream, parsed as it arrives. */
  final class Watch {
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<String> comments = new CopyOnWriteArrayList<>();
    final HttpClientResponse response;
    private final StringBuilder pending = new StringBuilder();

    Watch(String query, Long lastEventId) {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
          .setPort(gateway.port()).setURI(BASE + "/events" + query);
      if (lastEventId != null) {
        options.putHeader("Last-Event-ID", String.valueOf(lastEventId));
      }
      response = await(http.request(options).compose(request -> request.send()).map(r -> {
        r.handler(chunk -> parse(chunk.toString()));
        return r;
      }));
    }

    private synchronized void parse(String chunk) {
      pending.append(chunk);
      int end;
      while ((end = pending.indexOf("\n\n")) >= 0) {
        String block = pending.substring(0, end);
        pending.delete(0, end + 2);
        long id = -1;
        String type = null;
        String data = null;
        for (String line : block.split("\n")) {
          if (line.startsWith(":")) {
            comments.add(line);
          } else if (line.startsWith("id: ")) {
            id = Long.parseLong(line.substring(4));
          } else if (line.startsWith("event: ")) {
            type = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data = line.substring(6);
          }
        }
        if (type != null) {
          events.add(new Event(id, type, new JsonObject(data)));
        }
      }
    }

    List<String> types() {
      return events.stream().map(Event::type).toList();
    }

    long lastId() {
      return events.get(events.size() - 1).id();
    }

    void close() {
      await(response.request().connection().close());
    }
  }

  @BeforeEach
  void start() {
    gateway = TestGateway.start(dataDir, c -> c.put("http", c.getJsonObject("http")
        .put("feed", new JsonObject().put("heartbeatMillis", 200).put("historySize", 50))));
    http = gateway.vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(64));
  }

  @AfterEach
  void stop() {
    await(http.close());
    gateway.close();
  }

  private static JsonObject at(String ip) {
    return new JsonObject().put("ip", ip).put("port", 8080);
  }

  @Test
  @DisplayName("a service's stream: a snapshot, then each change in order with growing revisions")
  void serviceStream() {
    Watch watch = new Watch("?service=pay", null);
    assertThat(watch.response.getHeader("Content-Type")).startsWith("text/event-stream");
    gateway.eventually(() -> assertThat(watch.types()).containsExactly("snapshot"));

    gateway.register("pay", at("10.0.0.1"));
    gateway.register("other", at("10.0.0.9"));
    gateway.patch(PAY + "/10.0.0.1:8080/status", new JsonObject().put("status", "DOWN"));
    gateway.delete(PAY + "/10.0.0.1:8080");

    gateway.eventually(() -> assertThat(watch.types()).containsExactly("snapshot", "registered", "updated", "deregistered"));
    List<Long> ids = watch.events.stream().map(Event::id).toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    Event updated = watch.events.get(2);
    assertThat(updated.data().getString("service")).isEqualTo("pay");
    assertThat(updated.data().getLong("revision")).isEqualTo(updated.id());
    assertThat(updated.data().getJsonObject("instance").getString("status")).isEqualTo("DOWN");
    assertThat(updated.data().getString("previousStatus")).isEqualTo("UP");
    watch.close();
  }

  @Test
  @DisplayName("reconnecting with Last-Event-ID resumes without loss")
  void resume() {
    Watch first = new Watch("", null);
    gateway.register("pay", at("10.0.0.1"));
    gateway.eventually(() -> assertThat(first.types()).containsExactly("registered"));
    long seen = first.lastId();
    first.close();

    gateway.register("pay", at("10.0.0.2"));
    gateway.delete(PAY + "/10.0.0.1:8080");

    Watch again = new Watch("", seen);
    gateway.eventually(() -> assertThat(again.types()).containsExactly("registered", "deregistered"));
    assertThat(again.events.get(0).data().getJsonObject("instance").getString("ip")).isEqualTo("10.0.0.2");
    gateway.register("pay", at("10.0.0.3"));
    gateway.eventually(() -> assertThat(again.types()).containsExactly("registered", "deregistered", "registered"));
    assertThat(again.events.stream().map(Event::id).toList()).isSorted().doesNotHaveDuplicates()
        .allMatch(id -> id > seen);
    again.close();
  }

  @Test
  @DisplayName("too old a Last-Event-ID gets a snapshot of the service, then changes")
  void tooOld() {
    gateway.register("pay", at("10.0.0.1"));
    for (int i = 0; i < 60; i++) {
      gateway.register("churn", at("10.1.0." + (i % 5)).put("weight", i));
    }
    Watch watch = new Watch("?service=pay", 1L);
    gateway.eventually(() -> assertThat(watch.types()).containsExactly("snapshot"));
    assertThat(watch.events.get(0).data().getJsonArray("instances")).hasSize(1);
    gateway.register("pay", at("10.0.0.2"));
    gateway.eventually(() -> assertThat(watch.types()).containsExactly("snapshot", "registered"));
    assertThat(watch.events.get(1).id()).isGreaterThan(watch.events.get(0).id());
    watch.close();
  }

  @Test
  @DisplayName("an idle stream carries keep-alive comments")
  void keepAlive() {
    Watch watch = new Watch("", null);
    gateway.eventually(() -> assertThat(watch.comments).contains(": keep-alive"));
    watch.close();
  }

  @Test
  @DisplayName("many watchers of one service each get every change")
  void manyWatchers() {
    List<Watch> watches = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      watches.add(new Watch("?service=pay", null));
    }
    gateway.register("pay", at("10.0.0.1"));
    for (Watch watch : watches) {
      gateway.eventually(() -> assertThat(watch.types()).containsExactly("snapshot", "registered"));
      watch.close();
    }
  }

  @Test
  @DisplayName("a bad Last-Event-ID or service name is a 400 problem")
  void badInput() {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(gateway.port()).setURI(BASE + "/events").putHeader("Last-Event-ID", "yesterday");
    HttpClientResponse response = await(http.request(options).compose(r -> r.send()));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(gateway.get(BASE + "/events?service=bad%20name").statusCode()).isEqualTo(400);
  }
}
