package com.wz.gateway.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods each path of the API takes, read from the routers themselves: named in the
 * {@code Allow} header of a 405 and in the answer to {@code OPTIONS}.
 */
final class AllowedMethods {

  private record Entry(Pattern path, Set<HttpMethod> methods) {
  }

  private final List<Entry> entries = new ArrayList<>();

  /** A read route: {@code GET} and {@code HEAD} (the same answer without its body). */
  static Route read(Router router, String path) {
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  /** Adds the routes of {@code router}, mounted at {@code mountPoint} ({@code ""} for the root). */
  AllowedMethods add(String mountPoint, Router router) {
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null || path.endsWith("*") || route.methods() == null
          || route.methods().isEmpty()) {
        continue;
      }
      entries.add(new Entry(pattern(mountPoint + path), route.methods()));
    }
    return this;
  }

  /** The methods {@code path} takes, as an {@code Allow} header value; empty when no route has that path. */
  String allowed(String path) {
    Set<String> names = new TreeSet<>();
    for (Entry entry : entries) {
      if (entry.path().matcher(path).matches()) {
        entry.methods().forEach(m -> names.add(m.name()));
      }
    }
    if (!names.isEmpty()) {
      names.add(HttpMethod.OPTIONS.name());
    }
    return String.join(", ", names);
  }

  /** Answers {@code OPTIONS}: 204 with the methods of the path, or 404 for a path the API does not have. */
  void options(RoutingContext ctx) {
    String allowed = allowed(ctx.request().path());
    if (allowed.isEmpty()) {
      ctx.fail(404);
      return;
    }
    ctx.response().setStatusCode(204).putHeader(HttpHeaders.ALLOW, allowed).end();
  }

  /** {@code /services/:service/instances} as a pattern of whole segments; a trailing slash matches too. */
  private static Pattern pattern(String path) {
    StringBuilder regex = new StringBuilder();
    for (String segment : path.substring(1).split("/", -1)) {
      regex.append('/').append(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
    }
    return Pattern.compile(regex + "/?");
  }
}
