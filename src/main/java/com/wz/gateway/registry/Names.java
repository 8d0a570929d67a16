package com.wz.gateway.registry;

import io.netty.util.NetUtil;

import java.util.regex.Pattern;

/** The rules for names and addresses, shared by the HTTP API, the event bus and every backend. */
public final class Names {

  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._:-]{1,255}");
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern CLUSTER = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._:\\[\\]%@-]{1,255}");
  private static final Pattern HOSTNAME = Pattern.compile(
      "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

  private Names() {
  }

  public static final String SERVICE_RULE = "must be 1 to 255 letters, digits, '.', '_', '-' or ':'";
  public static final String GROUP_RULE = "must be 1 to 128 letters, digits, '.', '_', '-' or ':'";
  public static final String CLUSTER_RULE = "must be 1 to 64 letters, digits or '-'";
  public static final String INSTANCE_ID_RULE = "must be 1 to 255 letters, digits or '.', '_', '-', ':', '@', '%', '[', ']'";
  public static final String IP_RULE = "must be an IPv4 address, an IPv6 address or a host name";

  public static boolean isService(String name) {
    return name != null && SERVICE.matcher(name).matches();
  }

  public static boolean isGroup(String name) {
    return name != null && GROUP.matcher(name).matches();
  }

  public static boolean isCluster(String name) {
    return name != null && CLUSTER.matcher(name).matches();
  }

  public static boolean isInstanceId(String id) {
    return id != null && INSTANCE_ID.matcher(id).matches();
  }

  /** An IPv4 or IPv6 literal, or a host name; never resolved (no DNS on the caller's thread). */
  public static boolean isAddress(String ip) {
    if (ip == null || ip.isEmpty()) {
      return false;
    }
    if (ip.indexOf(':') >= 0) {
      return NetUtil.isValidIpV6Address(ip);
    }
    if (ip.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
      return NetUtil.isValidIpV4Address(ip);
    }
    return HOSTNAME.matcher(ip).matches();
  }

  public static void requireService(String name) {
    if (!isService(name)) {
      throw RegistryException.badRequest("service", SERVICE_RULE);
    }
  }

  public static void requireGroup(String name) {
    if (!isGroup(name)) {
      throw RegistryException.badRequest("group", GROUP_RULE);
    }
  }

  public static void requireInstanceId(String id) {
    if (!isInstanceId(id)) {
      throw RegistryException.badRequest("instanceId", INSTANCE_ID_RULE);
    }
  }
}
