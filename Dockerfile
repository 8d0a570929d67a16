# Build: the fat jar, from source, with Maven.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline || true
COPY conf conf
COPY src src
RUN mvn -B -ntp -q package -DskipTests

# Run: a JRE, the jar and its configuration, as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --home-dir /app --no-create-home gateway \
 && mkdir -p /app/conf /app/data /app/logs \
 && chown -R gateway:gateway /app/data /app/logs
WORKDIR /app
COPY --from=build /src/target/registry-gateway.jar /app/registry-gateway.jar
COPY conf/application.yaml /app/conf/application.yaml
# Mount your own conf/ over /app/conf (or point GATEWAY_CONFIG elsewhere); persistent instances live in /app/data.
ENV GATEWAY_CONFIG=/app/conf/application.yaml \
    GATEWAY_HTTP_PORT=8080 \
    GATEWAY_DATA_DIR=/app/data
VOLUME ["/app/data"]
EXPOSE 8080
USER gateway
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${GATEWAY_HTTP_PORT} && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# exec form: java is PID 1 and receives SIGTERM itself, then drains requests and exits 0.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/registry-gateway.jar"]
