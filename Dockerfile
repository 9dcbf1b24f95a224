# Kompactor continuous mode: `docker run -v /var/lib/influxdb3:/data kompactor` compacts /data beside a live server.
# Build: docker build -t kompactor .    (needs Maven Central; the jar is target/kompactor.jar, shaded)

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# dependencies first, for layer caching
COPY pom.xml .
RUN mvn -B -q dependency:go-offline || true
COPY src/ src/
# the jar ships copies of the routes and config (used when the working dir has none)
COPY routes/ routes/
COPY config/ config/
RUN mvn -B package -DskipTests

# glibc runtime: DuckDB's native library needs glibc (no alpine/musl)
FROM eclipse-temurin:17-jre
RUN groupadd --system kompactor && useradd --system --gid kompactor --home-dir /app --shell /usr/sbin/nologin kompactor
WORKDIR /app
COPY --from=build /src/target/kompactor.jar /app/kompactor.jar
# the launcher beside the jar, on the PATH: `docker exec kompactor kompactor dead-letters list /data`
COPY bin/kompactor /app/kompactor
RUN ln -s /app/kompactor /usr/local/bin/kompactor
# the defaults; mount your own over them to customise without rebuilding:
#   -v ./routes:/app/routes:ro -v ./config:/app/config:ro
COPY routes/ /app/routes/
COPY config/ /app/config/
# DuckDB unpacks its native library into java.io.tmpdir and spills there: keep it writable (also with --read-only,
# add --tmpfs /tmp). The state dir defaults to /data/.kompactor, inside the data volume.
RUN mkdir -p /data /tmp/kompactor && chown -R kompactor:kompactor /data /tmp/kompactor
ENV KOMPACTOR_DATA_DIR=/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp/kompactor"
VOLUME ["/data"]
USER kompactor
# /observe/health and /observe/metrics (Prometheus)
EXPOSE 9876
# curl and wget ship with the eclipse-temurin (Ubuntu) images; either one is enough
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS http://127.0.0.1:9876/observe/health >/dev/null || wget -q -O /dev/null http://127.0.0.1:9876/observe/health || exit 1
STOPSIGNAL SIGTERM
# exec form: the JVM is PID 1 and gets SIGTERM, so Camel shuts down gracefully (camel.main.shutdown-timeout = 120 s;
# use `docker stop -t 180` / stop_grace_period: 180s / terminationGracePeriodSeconds: 180)
ENTRYPOINT ["java", "-jar", "/app/kompactor.jar", "run"]
