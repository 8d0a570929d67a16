package com.wz.gateway.instance;

import com.wz.gateway.bus.Addresses;
import com.wz.gateway.bus.RegistryClient;
import com.wz.gateway.config.SelfConfig;
import com.wz.gateway.registry.InstanceStatus;
import com.wz.gateway.registry.ServiceKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * The gateway's own instance: registered STARTING, UP once the gateway serves, kept alive by the
 * scheduler's {@link InstanceManager}, OUT_OF_SERVICE when shutdown begins, deregistered at the end.
 */
public final class SelfRegistration {

  private static final Logger LOG = LoggerFactory.getLogger(SelfRegistration.class);

  private final Vertx vertx;
  private final SelfConfig self;
  private final int httpPort;
  private final String group;
  private final RegistryClient registry;
  private final DeliveryOptions options;
  private JsonObject registration;
  private String instanceId;

  public SelfRegistration(Vertx vertx, SelfConfig self, int httpPort, String group, long timeoutMillis) {
    this.vertx = vertx;
    this.self = self;
    this.httpPort = httpPort;
    this.group = group;
    this.registry = RegistryClient.local(vertx, timeoutMillis);
    this.options = Addresses.local(timeoutMillis);
  }

  /** Registers the gateway as STARTING and starts keeping it alive. */
  public Future<Void> register() {
    return vertx.executeBlocking(this::address)
        .compose(ip -> {
          registration = new JsonObject()
              .put("ip", ip)
              .put("port", self.port() > 0 ? self.port() : httpPort)
              .put("ephemeral", self.ephemeral())
              .put("status", InstanceStatus.STARTING.name())
              .put("metadata", self.metadata());
          return registry.register(self.service(), group, registration);
        })
        .compose(change -> {
          instanceId = change.instance().instanceId();
          LOG.info("Registered itself as {} of {} (STARTING)", instanceId, self.service());
          return keepAlive();
        });
  }

  /** The gateway serves: UP. */
  public Future<Void> up() {
    return status(InstanceStatus.UP);
  }

  /** Shutdown begins: OUT_OF_SERVICE, so that consumers stop picking it. */
  public Future<Void> outOfService() {
    return status(InstanceStatus.OUT_OF_SERVICE);
  }

  /** Stops keeping itself alive and deregisters. */
  public Future<Void> deregister() {
    if (instanceId == null) {
      return Future.succeededFuture();
    }
    JsonObject target = target();
    return vertx.eventBus().request(Addresses.KEEP_ALIVE_STOP, target, options)
        .compose(v -> registry.deregister(key(), instanceId))
        .onSuccess(v -> LOG.info("Deregistered itself ({} of {})", instanceId, self.service()))
        .mapEmpty();
  }

  private Future<Void> status(InstanceStatus status) {
    if (instanceId == null) {
      return Future.succeededFuture();
    }
    registration.put("status", status.name());
    return registry.updateStatus(key(), instanceId, status)
        .compose(change -> keepAlive())
        .onSuccess(v -> LOG.info("Own status is now {}", status));
  }

  private Future<Void> keepAlive() {
    return vertx.eventBus().request(Addresses.KEEP_ALIVE_START, target().put("registration", registration), options)
        .mapEmpty();
  }

  private JsonObject target() {
    return new JsonObject().put("service", self.service()).put("group", group).put("instanceId", instanceId);
  }

  private ServiceKey key() {
    return ServiceKey.of(group, self.service());
  }

  /** The configured address, or this host's first non-loopback IPv4 address (blocking: network interfaces). */
  private String address() throws SocketException {
    if (!self.ip().isEmpty()) {
      return self.ip();
    }
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
          return address.getHostAddress();
        }
      }
    }
    return InetAddress.getLoopbackAddress().getHostAddress();
  }
}
