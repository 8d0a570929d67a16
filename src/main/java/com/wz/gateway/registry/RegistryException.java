package com.wz.gateway.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A registry operation refused, with the HTTP status that says why (400 bad input, 404 unknown,
 * 409 conflict, 503 backend unavailable). The same code travels as the failure code of an event-bus reply.
 */
public class RegistryException extends RuntimeException {

  /** One invalid field of a request. */
  public record FieldError(String field, String message) {
    public JsonObject toJson() {
      return new JsonObject().put("field", field).put("message", message);
    }
  }

  private final int status;
  private final List<FieldError> errors;

  public RegistryException(int status, String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  public RegistryException(int status, String detail) {
    this(status, detail, List.of());
  }

  public static RegistryException badRequest(String field, String message) {
    return new RegistryException(400, field + " " + message, List.of(new FieldError(field, message)));
  }

  public static RegistryException notFound(String detail) {
    return new RegistryException(404, detail);
  }

  /** The 404 for an instance the registry does not hold. */
  public static RegistryException unknownInstance(ServiceKey key, String instanceId) {
    return notFound("instance " + instanceId + " of service " + key.service() + " (group " + key.group()
        + ") is not registered");
  }

  /** Runs {@code operation}; a refusal it throws becomes a failed future. */
  public static <T> io.vertx.core.Future<T> capture(java.util.function.Supplier<T> operation) {
    try {
      return io.vertx.core.Future.succeededFuture(operation.get());
    } catch (RegistryException e) {
      return io.vertx.core.Future.failedFuture(e);
    }
  }

  public static RegistryException unavailable(String detail) {
    return new RegistryException(503, detail);
  }

  public int status() {
    return status;
  }

  public String detail() {
    return getMessage();
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** The failure message of an event-bus reply: {@code {"detail": ..., "errors": [...]}}. */
  public String toMessage() {
    JsonObject json = new JsonObject().put("detail", detail());
    if (!errors.isEmpty()) {
      json.put("errors", new JsonArray(errors.stream().map(FieldError::toJson).toList()));
    }
    return json.encode();
  }

  /** Rebuilds the exception from a failure code and a message written by {@link #toMessage()}. */
  public static RegistryException fromMessage(int status, String message) {
    try {
      JsonObject json = new JsonObject(message);
      List<FieldError> errors = json.getJsonArray("errors", new JsonArray()).stream()
          .map(JsonObject.class::cast)
          .map(e -> new FieldError(e.getString("field"), e.getString("message")))
          .toList();
      return new RegistryException(status, json.getString("detail", ""), errors);
    } catch (RuntimeException notJson) {
      return new RegistryException(status, message == null ? "" : message);
    }
  }
}
