# syntax=docker/dockerfile:1
# smlocal: build the shaded server with Maven on JDK 17, run it on a JRE as a non-root user.
#   docker build -t smlocal .
#   docker run --rm -p 127.0.0.1:4599:4599 smlocal    (publish on loopback; see README "Security")
#   docker run --rm -p 127.0.0.1:4599:4599 -v smlocal-data:/data -e SMLOCAL_DATA_DIR=/data smlocal
#                                                     (keep the state in a named volume; README "Persistence")

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# the Maven repository is a build cache, not a layer: rebuilds after a source edit stay quick
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -pl server -am package -DskipTests

FROM eclipse-temurin:17-jre
# /data: the directory for --data-dir, the server user's and closed to others (0700), so that a named
# volume mounted there starts with this owner and mode. State stays in memory unless the server is
# told to use it (--data-dir=/data or SMLOCAL_DATA_DIR=/data): the image sets neither.
RUN groupadd --system smlocal && useradd --system --gid smlocal --home-dir /opt/smlocal --shell /usr/sbin/nologin smlocal \
 && install -d -o smlocal -g smlocal -m 0700 /data
WORKDIR /opt/smlocal
COPY --from=build /src/server/target/smlocal-server.jar /opt/smlocal/smlocal-server.jar
# a class-data archive of the classes a start and its first requests load, recorded by one training
# run at image build (`training-run`: start, health check, a few API calls, stop), as the Maven build
# does for server/target/smlocal.jsa: the container then starts in about two thirds of the time
# (docs/PERFORMANCE.md, "Start"). Without the archive (a JVM that could not write or map it) the
# server starts as before, only slower.
RUN java -XX:ArchiveClassesAtExit=/opt/smlocal/smlocal.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
        -jar /opt/smlocal/smlocal-server.jar training-run || echo "smlocal: the training run failed"; \
    test -s /opt/smlocal/smlocal.jsa || echo "smlocal: no class-data archive, starts without one"
USER smlocal
EXPOSE 4599
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["java", "-jar", "/opt/smlocal/smlocal-server.jar", "healthcheck"]
# out of memory ends the container (status 3) instead of leaving a server that answers nothing
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/smlocal/smlocal.jsa", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/smlocal/smlocal-server.jar"]
CMD ["--host=0.0.0.0"]
