package com.wz.gateway.registry;

import com.wz.gateway.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Owns the registry backend and answers every registry request on the event bus. Deployed as a
 * worker ({@code ThreadingModel.WORKER}): backends may block (disk, Nacos), and one worker context
 * runs one message at a time, so the backend is never called concurrently.
 */
public final class RegistryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryVerticle.class);
  /** How often renewed leases are published (at most this late in reads' lastHeartbeatAt). */
  public static final long HEARTBEAT_PUBLISH_MILLIS = 100;

  private final String backendName;
  private final Supplier<ServiceRegistry> backend;
  private final String defaultGroup;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private ServiceRegistry registry;
  private JsonArray pendingBeats = new JsonArray();
  private boolean reachable;

  /**
   * @param backend creates the backend; called on the worker thread when the verticle starts
   */
  public RegistryVerticle(String backendName, Supplier<ServiceRegistry> backend, String defaultGroup) {
    this.backendName = backendName;
    this.backend = backend;
    this.defaultGroup = defaultGroup;
  }

  @Override
  public Future<?> start() {
    registry = backend.get();
    registry.subscribe(null, event -> vertx.eventBus().publish(Addresses.EVENTS, event.toJson()));
    bind(Addresses.REGISTER, this::register);
    bind(Addresses.DEREGISTER, this::deregister);
    bind(Addresses.UPDATE_STATUS, this::updateStatus);
    bind(Addresses.HEARTBEAT, this::heartbeat);
    bind(Addresses.INSTANCES, this::instances);
    bind(Addresses.SERVICES, this::services);
    bind(Addresses.DEPENDENCIES, this::dependencies);
    bind(Addresses.PING, this::ping);
    bindLocal(Addresses.EXPIRE_LEASES, body -> registry.expireLeases().map(v -> new JsonObject()));
    bindLocal(Addresses.PROBE_RESULT, this::probeResult);
    bindLocal(Addresses.PROBE_TARGETS, body -> registry.probeTargets().map(list -> new JsonObject()
        .put("instances", new JsonArray(list.stream().map(ServiceInstance::toJson).toList()))));
    reachable = registry.reachable();
    vertx.setPeriodic(HEARTBEAT_PUBLISH_MILLIS, id -> {
      publishHeartbeats();
      publishReachability();
    });
    LOG.info("Registry backend '{}' ready at revision {}", backendName, registry.revision());
    return Future.join(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    return registry == null ? Future.succeededFuture() : registry.close();
  }

  private Future<JsonObject> register(JsonObject body) {
    Registration registration = Registration.parse(body.getString("service"), group(body),
        body.getJsonObject("instance"));
    long before = registry.revision();
    return registry.register(registration).map(r -> changeReply(before, r.instance()).put("created", r.created()));
  }

  private Future<JsonObject> deregister(JsonObject body) {
    long before = registry.revision();
    return registry.deregister(key(body), instanceId(body)).map(i -> changeReply(before, i));
  }

  private Future<JsonObject> updateStatus(JsonObject body) {
    String name = body.getString("status");
    InstanceStatus status = InstanceStatus.parse(name).orElseThrow(() ->
        RegistryException.badRequest("status", "must be one of " + InstanceStatus.names()));
    long before = registry.revision();
    return registry.updateStatus(key(body), instanceId(body), status).map(i -> changeReply(before, i));
  }

  private Future<JsonObject> heartbeat(JsonObject body) {
    long before = registry.revision();
    return registry.heartbeat(key(body), instanceId(body)).map(instance -> {
      pendingBeats.add(new JsonObject()
          .put("service", instance.service())
          .put("group", instance.group())
          .put("instanceId", instance.instanceId())
          .put("lastHeartbeatAt", instance.lastHeartbeatAt().toString()));
      return changeReply(before, instance);
    });
  }

  private Future<JsonObject> probeResult(JsonObject body) {
    long before = registry.revision();
    return registry.reportProbe(key(body), instanceId(body), body.getBoolean("healthy"), body.getBoolean("renew", false))
        .map(instance -> changeReply(before, instance));
  }

  /** Renewed leases are not changes; readers learn of them in batches, to keep heartbeats cheap. */
  private void publishHeartbeats() {
    if (!pendingBeats.isEmpty()) {
      vertx.eventBus().publish(Addresses.HEARTBEATS, new JsonObject().put("beats", pendingBeats));
      pendingBeats = new JsonArray();
    }
  }

  /** Tells this node at once when the backend's server is lost or back (readiness follows it). */
  private void publishReachability() {
    boolean now = registry.reachable();
    if (now != reachable) {
      reachable = now;
      vertx.eventBus().publish(Addresses.REACHABILITY, new JsonObject().put("reachable", now),
          new DeliveryOptions().setLocalOnly(true));
    }
  }

  private Future<JsonObject> instances(JsonObject body) {
    return registry.instances(key(body)).map(ServiceInstances::toJson);
  }

  private Future<JsonObject> services(JsonObject body) {
    return registry.services(ServiceQuery.fromJson(body, defaultGroup)).map(ServicePage::toJson);
  }

  private Future<JsonObject> dependencies(JsonObject body) {
    ServiceKey key = key(body);
    boolean transitive = body.getBoolean("transitive", false);
    return instancesOfGroup(key.group())
        .map(all -> new DependencyGraph(key.group(), all).describe(key.service(), transitive));
  }

  private Future<JsonObject> ping(JsonObject body) {
    return registry.counts().map(counts -> new JsonObject()
        .put("backend", backendName)
        .put("reachable", registry.reachable())
        .put("revision", registry.revision())
        .put("services", counts.services())
        .put("instances", counts.instances())
        .put("healthyInstances", counts.healthyInstances())
        .put("servingInstances", counts.servingInstances()));
  }

  /** Every service of {@code group} with its instances, read page by page. */
  private Future<Map<String, List<ServiceInstance>>> instancesOfGroup(String group) {
    Map<String, List<ServiceInstance>> all = new LinkedHashMap<>();
    return collectPage(group, 1, all).map(v -> all);
  }

  private Future<Void> collectPage(String group, int page, Map<String, List<ServiceInstance>> all) {
    ServiceQuery query = new ServiceQuery(group, null, page, ServiceQuery.MAX_SIZE);
    return registry.services(query).compose(result -> {
      List<Future<ServiceInstances>> lists = result.services().stream()
          .map(s -> registry.instances(ServiceKey.of(group, s.name()))).toList();
      return Future.all(lists).compose(done -> {
        lists.forEach(f -> all.put(f.result().key().service(), f.result().instances()));
        boolean more = (long) page * query.size() < result.total();
        return more ? collectPage(group, page + 1, all) : Future.succeededFuture();
      });
    });
  }

  /** The reply to a write: the instance, and the revision of the change it made (0 when it changed nothing). */
  private JsonObject changeReply(long revisionBefore, ServiceInstance instance) {
    long revision = registry.revision() > revisionBefore ? registry.revision() : 0;
    return new JsonObject().put("instance", instance.toJson()).put("revision", revision);
  }

  private String group(JsonObject body) {
    String group = body.getString("group");
    return group == null ? defaultGroup : group;
  }

  private ServiceKey key(JsonObject body) {
    String service = body.getString("service");
    String group = group(body);
    Names.requireService(service);
    Names.requireGroup(group);
    return ServiceKey.of(group, service);
  }

  private static String instanceId(JsonObject body) {
    String id = body.getString("instanceId");
    Names.requireInstanceId(id);
    return id;
  }

  /** Answers on {@code address} for every node of the event bus. */
  private void bind(String address, Function<JsonObject, Future<JsonObject>> handler) {
    consumers.add(vertx.eventBus().<JsonObject>consumer(address, message -> answer(message, handler)));
  }

  /** Answers on {@code address} for this node only (the gateway's internal requests). */
  private void bindLocal(String address, Function<JsonObject, Future<JsonObject>> handler) {
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(address, message -> answer(message, handler)));
  }

  private static void answer(Message<JsonObject> message, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> reply;
    try {
      JsonObject body = message.body() == null ? new JsonObject() : message.body();
      reply = handler.apply(body);
    } catch (RegistryException e) {
      reply = Future.failedFuture(e);
    } catch (ClassCastException e) {
      reply = Future.failedFuture(new RegistryException(400, "a field of the request has the wrong type"));
    }
    reply.onSuccess(message::reply).onFailure(error -> fail(message, error));
  }

  private static void fail(Message<JsonObject> message, Throwable error) {
    if (error instanceof RegistryException e) {
      message.fail(e.status(), e.toMessage());
      return;
    }
    LOG.error("Registry request on {} failed", message.address(), error);
    message.fail(500, new RegistryException(500, "the registry failed to answer").toMessage());
  }
}
