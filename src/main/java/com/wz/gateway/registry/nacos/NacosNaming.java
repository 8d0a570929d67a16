package com.wz.gateway.registry.nacos;

import com.alibaba.nacos.api.exception.NacosException;
import com.alibaba.nacos.api.naming.pojo.Instance;

import java.util.List;
import java.util.function.Consumer;

/**
 * The part of Nacos naming the gateway uses. Every call blocks: call it from the registry worker
 * only. Push listeners are called on Nacos's own threads.
 */
public interface NacosNaming {

  /** One page of service names of {@code group}, and how many there are in all. */
  record ServiceNames(int total, List<String> names) {
  }

  /**
   * Makes {@code instances} (not empty) the whole set of ephemeral instances this connection holds
   * for the service: Nacos keeps one registration per service per connection, and a batch replaces it.
   */
  void holdEphemeral(String service, String group, List<Instance> instances) throws NacosException;

  /** Removes every ephemeral instance this connection holds for the service ({@code last} is one of them). */
  void releaseEphemeral(String service, String group, Instance last) throws NacosException;

  /** Registers (or replaces) one persistent instance. */
  void registerPersistent(String service, String group, Instance instance) throws NacosException;

  /** Removes one persistent instance. */
  void deregisterPersistent(String service, String group, Instance instance) throws NacosException;

  /** The service's instances as the server has them now (no subscription). */
  List<Instance> instances(String service, String group) throws NacosException;

  /** Subscribes to the service: {@code listener} gets every full list Nacos pushes. */
  void subscribe(String service, String group, Consumer<List<Instance>> listener) throws NacosException;

  ServiceNames services(int pageNo, int pageSize, String group) throws NacosException;

  /** Whether a server answers now over the client's connection (fails fast while disconnected). */
  boolean connected();

  void close() throws NacosException;
}
