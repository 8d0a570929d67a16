package com.wz.gateway;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.wz.gateway.config.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Builds a clustered {@link Vertx} on Hazelcast, joining members from a fixed address list. */
public final class ClusterSupport {

  private ClusterSupport() {
  }

  /** A clustered Vert.x per {@code cluster}; {@code options} are the node's own. */
  public static Future<Vertx> clustered(VertxOptions options, ClusterConfig cluster) {
    Config hazelcast = new Config();
    hazelcast.setClusterName(cluster.name());
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
    hazelcast.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(true)
        .setPublicAddress(cluster.host() + ":" + cluster.port());
    hazelcast.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(cluster.host());
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members().isEmpty()
        ? java.util.List.of(cluster.host()) : cluster.members());
    options.setEventBusOptions(new EventBusOptions().setHost(cluster.host()).setClusterPublicHost(cluster.host()));
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered();
  }
}
