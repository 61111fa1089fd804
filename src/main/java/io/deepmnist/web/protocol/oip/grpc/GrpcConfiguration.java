package io.deepmnist.web.protocol.oip.grpc;

import io.deepmnist.config.InferenceProperties;
import io.deepmnist.inference.Predictor;
import io.deepmnist.web.http.SecurityProperties;
import io.deepmnist.web.protocol.ServedModels;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The Open Inference Protocol over gRPC, with grpc-java's own server rather than Spring gRPC: one service on its
 * own port whose lifecycle, limits and interceptors are these few lines, and no second web stack to configure.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GrpcProperties.class)
class GrpcConfiguration {

    @Bean
    GrpcServer grpcServer(GrpcProperties properties, InferenceProperties inference, ServedModels models, Predictor predictor,
                          ApplicationAvailability availability, HealthEndpoint health, SecurityProperties security,
                          MeterRegistry meters, ObjectProvider<BuildProperties> build, ConfigurableEnvironment environment) {
        BuildProperties info = build.getIfAvailable();
        GrpcInferenceService service = new GrpcInferenceService(models, predictor,
                () -> isUp(health.healthForPath("readiness")), availability, info != null ? info.getVersion() : "unknown");
        // The warm-up happens once: after it has been seen done, inference calls ask only the availability state.
        AtomicBoolean warmedUp = new AtomicBoolean();
        BooleanSupplier warm = () -> {
            if (!warmedUp.get() && isUp(health.healthForPath("predictionWarmUp"))) {
                warmedUp.set(true);
            }
            return warmedUp.get();
        };
        GrpcCallGuard guard = new GrpcCallGuard(security,
                () -> availability.getReadinessState() != ReadinessState.REFUSING_TRAFFIC && warm.getAsBoolean(), meters);
        return new GrpcServer(properties, inference, service, guard, environment);
    }

    private static boolean isUp(HealthDescriptor descriptor) {
        return descriptor == null || Status.UP.equals(descriptor.getStatus());
    }
}
