package com.wz.gateway.bus;

import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Every event-bus address of the gateway. Requests take and answer JSON objects; a refused request
 * fails with the HTTP status code as failure code and {@code {"detail","errors"}} as message.
 * See docs/EVENT-BUS.md for the message shapes.
 */
public final class Addresses {

  private Addresses() {
  }

  /**
   * Options for the gateway's own requests: answered on this node only. In a Vert.x cluster each
   * gateway's HTTP layer, scheduler and cache talk to their own registry, never to another node's.
   */
  public static DeliveryOptions local(long timeoutMillis) {
    return new DeliveryOptions().setSendTimeout(timeoutMillis).setLocalOnly(true);
  }

  /** Request {@code {service, group?, instance: {ip, port, ...}}}; reply {@code {instance, created, revision}}. */
  public static final String REGISTER = "registry.register";
  /** Request {@code {service, group?, instanceId}}; reply {@code {instance, revision}}. */
  public static final String DEREGISTER = "registry.deregister";
  /** Request {@code {service, group?, instanceId, status}}; reply {@code {instance, revision}}. */
  public static final String UPDATE_STATUS = "registry.status";
  /** Request {@code {service, group?, instanceId}}; reply {@code {instance, revision}}. */
  public static final String HEARTBEAT = "registry.heartbeat";
  /** Request {@code {service, group?}}; reply {@code {service, group, revision, instances, stale}}. */
  public static final String INSTANCES = "registry.instances";
  /** Request {@code {group?, q?, page?, size?}}; reply {@code {services, total, page, size}}. */
  public static final String SERVICES = "registry.services";
  /** Request {@code {service, group?, transitive?}}; reply as {@code GET .../dependencies}. */
  public static final String DEPENDENCIES = "registry.dependencies";
  /** Request {@code {}}; reply {@code {backend, revision, services, instances}}: the registry is up. */
  public static final String PING = "registry.ping";
  /** Published: every registry change, a {@code RegistryEvent} as JSON. */
  public static final String EVENTS = "registry.events";
  /** Published: renewed leases, {@code {beats: [{service, group, instanceId, lastHeartbeatAt}]}}, batched; not changes. */
  public static final String HEARTBEATS = "registry.heartbeats";
  /** Sent by the prober: {@code {service, group, instanceId, healthy, renew}}, an active probe's verdict. */
  public static final String PROBE_RESULT = "registry.internal.probe-result";
  /** Sent by the prober: {@code {}}; reply {@code {instances: [...]}}, the held instances with an active health check. */
  public static final String PROBE_TARGETS = "registry.internal.probe-targets";
  /** Published on this node: {@code {reachable}}, when the registry backend's server is lost or back. */
  public static final String REACHABILITY = "registry.internal.reachability";
  /** Sent by the scheduler: end the leases that have run out. */
  public static final String EXPIRE_LEASES = "registry.internal.expire-leases";

  /** Request {@code {service, group?, instanceId, registration}}: the gateway keeps the instance alive itself. */
  public static final String KEEP_ALIVE_START = "instance.heartbeat.start";
  /** Request {@code {service, group?, instanceId}}: stop keeping it alive. */
  public static final String KEEP_ALIVE_STOP = "instance.heartbeat.stop";
  /** Request {@code {}}: the gateway is shutting down; readiness turns DOWN at once. */
  public static final String DRAINING = "gateway.draining";

  /** Request {@code {}}: the last results of every health check, without running them. */
  public static final String HEALTH_STATUS = "health.status";
  /** Request {@code {checks?: [names]}}: run the checks now and answer their results. */
  public static final String HEALTH_CHECK = "health.check";
  /** Published: health results, after every run in which a check's status changed and at least once a minute. */
  public static final String HEALTH_RESULTS = "health.results";
}
