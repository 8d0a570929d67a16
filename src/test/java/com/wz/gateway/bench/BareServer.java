package com.wz.gateway.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The baseline of the read-path benchmark: a bare Vert.x HTTP server that answers every request
 * with the same bytes the gateway answers, on as many event loops as the gateway uses.
 * Usage: {@code BareServer <port> <body file> <instances>}.
 */
public final class BareServer extends VerticleBase {

  private final int port;
  private final Buffer body;

  private BareServer(int port, Buffer body) {
    this.port = port;
    this.body = body;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer()
        .requestHandler(request -> request.response()
            .putHeader("Content-Type", "application/json; charset=utf-8")
            .end(body))
        .listen(port, "127.0.0.1");
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(args[1])));
    int instances = Integer.parseInt(args[2]);
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new BareServer(port, body), new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare server on " + port))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
