package com.wz.gateway.bus;

import com.wz.gateway.registry.InstanceStatus;
import com.wz.gateway.registry.RegistryEvent;
import com.wz.gateway.registry.RegistryException;
import com.wz.gateway.registry.ServiceInstance;
import com.wz.gateway.registry.ServiceInstances;
import com.wz.gateway.registry.ServiceKey;
import com.wz.gateway.registry.ServicePage;
import com.wz.gateway.registry.ServiceQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;

/**
 * A typed client of the registry over the event bus, for the HTTP layer and for any Vert.x
 * application on the same event bus. Failures arrive as {@link RegistryException} with the status
 * the HTTP API would answer; a registry that does not answer in time is a 503.
 */
public final class RegistryClient {

  /** What a write answered: the instance after the change and the registry revision that includes it. */
  public record Change(ServiceInstance instance, long revision, boolean created) {
    static Change from(JsonObject reply) {
      return new Change(ServiceInstance.fromJson(reply.getJsonObject("instance")), reply.getLong("revision"),
          reply.getBoolean("created", false));
    }
  }

  private final Vertx vertx;
  private final DeliveryOptions options;
  private final boolean localOnly;

  /** A client of the registry on any node of the event bus (in a cluster: any gateway node). */
  public RegistryClient(Vertx vertx, long timeoutMillis) {
    this(vertx, new DeliveryOptions().setSendTimeout(timeoutMillis), false);
  }

  private RegistryClient(Vertx vertx, DeliveryOptions options, boolean localOnly) {
    this.vertx = vertx;
    this.options = options;
    this.localOnly = localOnly;
  }

  /** The gateway's own client: requests and change events of this node's registry only. */
  public static RegistryClient local(Vertx vertx, long timeoutMillis) {
    return new RegistryClient(vertx, Addresses.local(timeoutMillis), true);
  }

  /** Registers {@code instance} (the API's registration body: ip, port, ...) under {@code service}; group null means the default. */
  public Future<Change> register(String service, String group, JsonObject instance) {
    return request(Addresses.REGISTER, target(service, group).put("instance", instance)).map(Change::from);
  }

  public Future<Change> deregister(ServiceKey key, String instanceId) {
    return request(Addresses.DEREGISTER, target(key).put("instanceId", instanceId)).map(Change::from);
  }

  public Future<Change> updateStatus(ServiceKey key, String instanceId, InstanceStatus status) {
    return updateStatus(key, instanceId, status.name());
  }

  /** As {@link #updateStatus(ServiceKey, String, InstanceStatus)}, for a status name a client sent (400 when unknown). */
  public Future<Change> updateStatus(ServiceKey key, String instanceId, String status) {
    return request(Addresses.UPDATE_STATUS, target(key).put("instanceId", instanceId).put("status", status))
        .map(Change::from);
  }

  public Future<Change> heartbeat(ServiceKey key, String instanceId) {
    return request(Addresses.HEARTBEAT, target(key).put("instanceId", instanceId)).map(Change::from);
  }

  public Future<ServiceInstances> instances(ServiceKey key) {
    return request(Addresses.INSTANCES, target(key)).map(ServiceInstances::fromJson);
  }

  public Future<ServicePage> services(ServiceQuery query) {
    return request(Addresses.SERVICES, query.toJson()).map(ServicePage::fromJson);
  }

  public Future<JsonObject> dependencies(ServiceKey key, boolean transitive) {
    return request(Addresses.DEPENDENCIES, target(key).put("transitive", transitive));
  }

  public Future<JsonObject> ping() {
    return request(Addresses.PING, new JsonObject());
  }

  /** Calls {@code listener} with every registry change published on this event bus. */
  public MessageConsumer<JsonObject> onChange(Consumer<RegistryEvent> listener) {
    return localOnly
        ? vertx.eventBus().localConsumer(Addresses.EVENTS, m -> listener.accept(RegistryEvent.fromJson(m.body())))
        : vertx.eventBus().consumer(Addresses.EVENTS, m -> listener.accept(RegistryEvent.fromJson(m.body())));
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, options)
        .map(message -> message.body())
        .recover(RegistryClient::translate);
  }

  private static Future<JsonObject> translate(Throwable error) {
    if (error instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return Future.failedFuture(RegistryException.fromMessage(reply.failureCode(), reply.getMessage()));
    }
    return Future.failedFuture(RegistryException.unavailable("the registry did not answer: " + error.getMessage()));
  }

  private static JsonObject target(ServiceKey key) {
    return target(key.service(), key.group());
  }

  private static JsonObject target(String service, String group) {
    JsonObject json = new JsonObject().put("service", service);
    return group == null ? json : json.put("group", group);
  }
}
