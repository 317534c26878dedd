# syntax=docker/dockerfile:1
# smlocal: build the shaded server with Maven on JDK 17, run it on a JRE as a non-root user.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# dependencies first, so that source edits reuse the cached layer
COPY pom.xml ./
COPY server/pom.xml server/
COPY testkit/pom.xml testkit/
COPY testkit-standalone/pom.xml testkit-standalone/
COPY testkit-classpath-check/pom.xml testkit-classpath-check/
COPY conformance/pom.xml conformance/
COPY bench/pom.xml bench/
RUN mvn -B -q -pl server -am dependency:go-offline -DexcludeReactor=true || true
COPY server/src server/src
RUN mvn -B -q -pl server -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system smlocal && useradd --system --gid smlocal --home-dir /opt/smlocal --shell /usr/sbin/nologin smlocal
WORKDIR /opt/smlocal
COPY --from=build /src/server/target/smlocal-server.jar /opt/smlocal/smlocal-server.jar
USER smlocal
EXPOSE 4599
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["java", "-jar", "/opt/smlocal/smlocal-server.jar", "healthcheck"]
ENTRYPOINT ["java", "-jar", "/opt/smlocal/smlocal-server.jar"]
CMD ["--host=0.0.0.0"]
