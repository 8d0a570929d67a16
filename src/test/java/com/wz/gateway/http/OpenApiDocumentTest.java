package com.wz.gateway.http;

import com.wz.gateway.support.VertxGuard;
import com.wz.gateway.support.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static com.wz.gateway.support.TestGateway.BASE;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxGuard.class)
@DisplayName("The gateway serves its OpenAPI document")
class OpenApiDocumentTest {

  @TempDir
  Path dataDir;

  @Test
  @DisplayName("every API path is described")
  void describesEveryPath() {
    try (TestGateway gateway = TestGateway.start(dataDir)) {
      HttpResponse<Buffer> response = gateway.get(BASE + "/openapi.yaml");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/yaml");
      assertThat(response.bodyAsString()).contains(
          "  /services:\n", "  /services/{service}/instances:\n", "  /services/{service}/instances/{instanceId}:\n",
          "  /services/{service}/instances/{instanceId}/status:\n",
          "  /services/{service}/instances/{instanceId}/heartbeat:\n", "  /services/{service}/dependencies:\n",
          "  /health/status:\n", "  /health/check:\n", "  /events:\n");
    }
  }
}
