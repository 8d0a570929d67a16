package com.wz.gateway.registry.nacos;

import com.alibaba.nacos.api.exception.NacosException;
import com.alibaba.nacos.api.naming.pojo.Instance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A Nacos server and one client connection to it, in memory, for tests that cannot reach a real
 * one: one ephemeral registration per service per connection (a batch replaces it), persistent
 * instances by endpoint, full-list pushes on a thread of its own, and outages on demand.
 */
public final class FakeNacosNaming implements NacosNaming {

  private final Map<String, List<Instance>> ephemeral = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Instance>> persistent = new ConcurrentHashMap<>();
  private final Map<String, List<Instance>> foreign = new ConcurrentHashMap<>();
  private final Map<String, List<Consumer<List<Instance>>>> listeners = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final ExecutorService pushThread = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "fake-nacos-push");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean down;
  private volatile long readMillis;
  private final List<Runnable> heldPushes = new ArrayList<>();
  private boolean holdingPushes;

  private static String key(String service, String group) {
    return group + "@@" + service;
  }

  private static String endpoint(Instance i) {
    return i.getIp() + ":" + i.getPort() + ":" + i.getClusterName();
  }

  private void requireUp() throws NacosException {
    if (down) {
      throw new NacosException(NacosException.SERVER_ERROR, "Client not connected, current status:UNHEALTHY");
    }
  }

  @Override
  public void holdEphemeral(String service, String group, List<Instance> instances) throws NacosException {
    requireUp();
    calls.add("batch " + service + " " + instances.size());
    ephemeral.put(key(service, group), List.copyOf(instances));
    push(service, group);
  }

  @Override
  public void releaseEphemeral(String service, String group, Instance last) throws NacosException {
    requireUp();
    calls.add("release " + service);
    ephemeral.remove(key(service, group));
    push(service, group);
  }

  @Override
  public void registerPersistent(String service, String group, Instance instance) throws NacosException {
    requireUp();
    calls.add("persistent " + service + " " + endpoint(instance));
    persistent.computeIfAbsent(key(service, group), k -> new LinkedHashMap<>()).put(endpoint(instance), instance);
    push(service, group);
  }

  @Override
  public void deregisterPersistent(String service, String group, Instance instance) throws NacosException {
    requireUp();
    persistent.getOrDefault(key(service, group), new LinkedHashMap<>()).remove(endpoint(instance));
    push(service, group);
  }

  @Override
  public List<Instance> instances(String service, String group) throws NacosException {
    requireUp();
    if (readMillis > 0) {
      try {
        Thread.sleep(readMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return server(service, group);
  }

  /** What any plain Nacos client gets for the service: like Nacos, disabled instances are left out of every query. */
  public List<Instance> server(String service, String group) {
    List<Instance> all = new ArrayList<>(ephemeral.getOrDefault(key(service, group), List.of()));
    all.addAll(foreign.getOrDefault(key(service, group), List.of()));
    all.addAll(persistent.getOrDefault(key(service, group), Map.of()).values());
    return all.stream().filter(Instance::isEnabled).toList();
  }

  /** What a plain Nacos consumer selecting healthy instances gets: healthy, enabled, weight above 0. */
  public List<Instance> selectHealthy(String service, String group) {
    return server(service, group).stream().filter(i -> i.isHealthy() && i.isEnabled() && i.getWeight() > 0).toList();
  }

  @Override
  public void subscribe(String service, String group, Consumer<List<Instance>> listener) throws NacosException {
    requireUp();
    listeners.computeIfAbsent(key(service, group), k -> new CopyOnWriteArrayList<>()).add(listener);
  }

  @Override
  public ServiceNames services(int pageNo, int pageSize, String group) throws NacosException {
    requireUp();
    TreeSet<String> names = new TreeSet<>();
    ephemeral.keySet().forEach(k -> addIfIn(names, k, group));
    foreign.keySet().forEach(k -> addIfIn(names, k, group));
    persistent.forEach((k, v) -> {
      if (!v.isEmpty()) {
        addIfIn(names, k, group);
      }
    });
    List<String> all = List.copyOf(names);
    int from = Math.min(all.size(), (pageNo - 1) * pageSize);
    return new ServiceNames(all.size(), all.subList(from, Math.min(all.size(), from + pageSize)));
  }

  private static void addIfIn(TreeSet<String> names, String key, String group) {
    if (key.startsWith(group + "@@")) {
      names.add(key.substring(group.length() + 2));
    }
  }

  /** Every read of a service's instances takes {@code millis} from now on, as from a distant server. */
  public void slowReads(long millis) {
    readMillis = millis;
  }

  @Override
  public boolean connected() {
    return !down;
  }

  /** The connection closes: the server forgets its ephemeral instances; its persistent ones stay. */
  @Override
  public void close() {
    List<String> held = List.copyOf(ephemeral.keySet());
    ephemeral.clear();
    listeners.clear();
    held.forEach(k -> {
      String[] parts = k.split("@@", 2);
      push(parts[1], parts[0]);
    });
  }

  /** The server goes away; like a restarted Nacos, it forgets this connection's ephemeral instances. */
  public void goDown() {
    down = true;
    ephemeral.clear();
  }

  public void comeBack() {
    down = false;
  }

  /** Pushes an empty list for the service, as Nacos may while it restarts. */
  public void pushEmpty(String service, String group) {
    pushLate(service, group, List.of());
  }

  /** Pushes {@code list}, an old state of the service, as Nacos does when its pushes overtake a change. */
  public void pushLate(String service, String group, List<Instance> list) {
    listeners.getOrDefault(key(service, group), List.of()).forEach(l -> pushThread.execute(() -> l.accept(list)));
  }

  /** Another (plain) Nacos client registers an ephemeral instance of its own. */
  public void registerForeign(String service, String group, Instance instance) {
    foreign.computeIfAbsent(key(service, group), k -> new CopyOnWriteArrayList<>()).add(instance);
    push(service, group);
  }

  /** That client deregisters it again. */
  public void deregisterForeign(String service, String group, String ip) {
    foreign.getOrDefault(key(service, group), new CopyOnWriteArrayList<>()).removeIf(i -> i.getIp().equals(ip));
    push(service, group);
  }

  public List<String> calls() {
    return List.copyOf(calls);
  }

  private void push(String service, String group) {
    List<Instance> now = server(service, group);
    Runnable push = () -> listeners.getOrDefault(key(service, group), List.of())
        .forEach(l -> pushThread.execute(() -> l.accept(now)));
    synchronized (heldPushes) {
      if (holdingPushes) {
        heldPushes.add(push);
        return;
      }
    }
    push.run();
  }

  /** The server's pushes of its changes wait from now on, as when they are slow to go out. */
  public void holdPushes() {
    synchronized (heldPushes) {
      holdingPushes = true;
    }
  }

  /** The pushes that waited go out, in order. */
  public void releasePushes() {
    synchronized (heldPushes) {
      holdingPushes = false;
      heldPushes.forEach(Runnable::run);
      heldPushes.clear();
    }
  }
}
