package io.deepmnist.artifacts;

import io.deepmnist.config.MnistProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The artifact store that {@code mnist.artifacts.location} names; a bucket must answer before the service starts. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ArtifactsProperties.class)
class ArtifactConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ArtifactConfiguration.class);

    @Bean
    ArtifactStore artifactStore(MnistProperties mnist, ArtifactsProperties properties, Environment environment) {
        int keepCheckpoints = environment.getProperty("mnist.jobs.keep-checkpoints", Integer.class, 2);
        ArtifactLocation location;
        try {
            location = ArtifactLocation.parse(properties.location(), mnist.home());
        } catch (IllegalArgumentException e) {
            throw new ArtifactStoreException(e.getMessage(), e);
        }
        if (!location.isBucket()) {
            return new LocalArtifacts(location, keepCheckpoints);
        }
        S3ObjectStore store = new S3ObjectStore(location, properties.s3());
        try {
            store.check();
        } catch (ArtifactStoreException e) {
            store.close();
            throw e;
        }
        log.info("Checkpoints and models live in {}; this replica's cache is {}/cache (at most {})", store.describe(),
                mnist.home(), properties.cache().maxSize());
        return new BucketArtifacts(location, store, mnist.home(), properties, keepCheckpoints);
    }
}
