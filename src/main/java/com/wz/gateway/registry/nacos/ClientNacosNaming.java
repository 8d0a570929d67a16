package com.wz.gateway.registry.nacos;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.PropertyKeyConst;
import com.alibaba.nacos.api.exception.NacosException;
import com.alibaba.nacos.api.naming.NamingService;
import com.alibaba.nacos.api.naming.listener.NamingEvent;
import com.alibaba.nacos.api.naming.pojo.Instance;
import com.alibaba.nacos.api.naming.pojo.ListView;
import com.wz.gateway.config.NacosConfig;

import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

/** {@link NacosNaming} on nacos-client's {@link NamingService} (gRPC to a Nacos 2.x or 3.x server). */
public final class ClientNacosNaming implements NacosNaming {

  private final NamingService naming;

  private ClientNacosNaming(NamingService naming) {
    this.naming = naming;
  }

  /** Connects to the servers of {@code config}; blocking. Starts even when no server answers yet. */
  public static ClientNacosNaming connect(NacosConfig config) throws NacosException {
    Properties properties = new Properties();
    properties.setProperty(PropertyKeyConst.SERVER_ADDR, config.servers());
    if (!config.namespace().isEmpty()) {
      properties.setProperty(PropertyKeyConst.NAMESPACE, config.namespace());
    }
    if (!config.username().isEmpty()) {
      properties.setProperty(PropertyKeyConst.USERNAME, config.username());
      properties.setProperty(PropertyKeyConst.PASSWORD, config.password());
    }
    properties.setProperty("namingLoadCacheAtStart", "false");
    properties.setProperty("JM.SNAPSHOT.PATH", config.cacheDir());
    properties.setProperty("nacos.naming.cache.dir", config.cacheDir());
    properties.setProperty("namingPushEmptyProtection", "false");
    System.setProperty("JM.LOG.PATH", config.logDir());
    System.setProperty("com.alibaba.nacos.naming.log.level", config.logLevel());
    System.setProperty("nacos.logging.default.config.enabled", "false");
    return new ClientNacosNaming(NacosFactory.createNamingService(properties));
  }

  @Override
  public void holdEphemeral(String service, String group, List<Instance> instances) throws NacosException {
    naming.batchRegisterInstance(service, group, instances);
  }

  @Override
  public void releaseEphemeral(String service, String group, Instance last) throws NacosException {
    naming.deregisterInstance(service, group, last);
  }

  @Override
  public void registerPersistent(String service, String group, Instance instance) throws NacosException {
    naming.registerInstance(service, group, instance);
  }

  @Override
  public void deregisterPersistent(String service, String group, Instance instance) throws NacosException {
    naming.deregisterInstance(service, group, instance);
  }

  @Override
  public List<Instance> instances(String service, String group) throws NacosException {
    return naming.getAllInstances(service, group, false);
  }

  @Override
  public void subscribe(String service, String group, Consumer<List<Instance>> listener) throws NacosException {
    naming.subscribe(service, group, event -> {
      if (event instanceof NamingEvent naming) {
        listener.accept(naming.getInstances());
      }
    });
  }

  @Override
  public ServiceNames services(int pageNo, int pageSize, String group) throws NacosException {
    ListView<String> page = naming.getServicesOfServer(pageNo, pageSize, group);
    return new ServiceNames(page.getCount(), page.getData());
  }

  /**
   * A real round trip over the gRPC connection: it fails at once while the client is disconnected
   * (getServerStatus would fall back to a slow HTTP call, and say UP before gRPC is back).
   */
  @Override
  public boolean connected() {
    try {
      naming.getServicesOfServer(1, 1);
      return true;
    } catch (NacosException e) {
      return false;
    }
  }

  @Override
  public void close() throws NacosException {
    naming.shutDown();
  }
}
