package com.wz.gateway.http;

import com.wz.gateway.registry.RegistryException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure as RFC 9457 problem details ({@code application/problem+json}): handlers
 * only fail the context, this is the one place that writes error bodies. Route 404 and 405 come here too.
 */
public final class Problems implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  public static final String CONTENT_TYPE = "application/problem+json";
  static final String RETRY_AFTER_SECONDS = "5";

  private final long bodyLimit;
  private final AllowedMethods methods;

  /** @param methods the methods each path takes, named in the {@code Allow} header of a 405 */
  public Problems(long bodyLimit, AllowedMethods methods) {
    this.bodyLimit = bodyLimit;
    this.methods = methods;
  }

  @Override
  public void handle(RoutingContext ctx) {
    render(ctx, ctx.statusCode());
  }

  /**
   * The router's error handler for {@code status}: the router calls it for its own refusals (no
   * route, wrong method, a path it cannot decode) without always setting the context's status.
   */
  public Handler<RoutingContext> forStatus(int status) {
    return ctx -> render(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : status);
  }

  private void render(RoutingContext ctx, int statusCode) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    Throwable failure = ctx.failure();
    JsonObject problem;
    if (failure instanceof RegistryException e) {
      problem = problem(e.status(), e.detail());
      if (!e.errors().isEmpty()) {
        problem.put("errors", new JsonArray(e.errors().stream().map(RegistryException.FieldError::toJson).toList()));
      }
    } else if (failure instanceof DecodeException e) {
      problem = problem(400, "the body is not valid JSON: " + firstLine(e.getMessage()));
    } else if (failure instanceof HttpException e) {
      problem = problem(e.getStatusCode(), e.getPayload() != null ? e.getPayload() : detailFor(ctx, e.getStatusCode()));
    } else if (isClientError(statusCode)) {
      problem = problem(statusCode, failure == null ? detailFor(ctx, statusCode)
          : "the request cannot be read: " + firstLine(failure.getMessage()));
    } else {
      LOG.error("Unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
      problem = problem(500, "the gateway failed to answer this request; it has been logged");
    }
    problem.put("instance", ctx.request().path());
    int status = problem.getInteger("status");
    if (status == 503) {
      response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    if (status == 405) {
      response.putHeader(HttpHeaders.ALLOW, methods.allowed(ctx.request().path()));
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(problem.encode());
  }

  static JsonObject problem(int status, String detail) {
    return new JsonObject()
        .put("type", "about:blank")
        .put("title", HttpResponseStatus.valueOf(status).reasonPhrase())
        .put("status", status)
        .put("detail", detail);
  }

  private String detailFor(RoutingContext ctx, int status) {
    String request = ctx.request().method() + " " + ctx.request().path();
    return switch (status) {
      case 400 -> "the request cannot be read: its path or query is not validly encoded (check %-escapes)";
      case 404 -> "nothing is at " + request;
      case 405 -> ctx.request().method() + " is not allowed on " + ctx.request().path();
      case 413 -> "the body is larger than " + bodyLimit + " bytes";
      case 415 -> "the body must be JSON (Content-Type: application/json)";
      default -> HttpResponseStatus.valueOf(status).reasonPhrase();
    };
  }

  private static boolean isClientError(int status) {
    return status >= 400 && status < 500;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
