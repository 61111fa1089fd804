package io.deepmnist.ops;

import io.deepmnist.config.MnistProperties;
import io.deepmnist.dataset.DatasetProvider;
import io.deepmnist.dataset.HttpMirrorSource;
import io.deepmnist.dataset.MnistAcquirer;
import io.deepmnist.dataset.MnistHome;
import io.deepmnist.engine.DeviceDiscovery;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.TensorFlowStartup;
import io.deepmnist.engine.TrainingDevices;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The plain-Java dataset and engine pieces as beans, configured from {@link MnistProperties}. */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

    @Bean
    DatasetProvider datasetProvider(MnistProperties properties) {
        List<URI> mirrors = properties.mirrors().isEmpty() ? HttpMirrorSource.DEFAULT_MIRRORS : properties.mirrors();
        var acquirer = new MnistAcquirer(List.of(new HttpMirrorSource(mirrors, properties.downloadTimeout())));
        return new DatasetProvider(MnistHome.datasetDir(properties.home()), acquirer);
    }

    @Bean
    TrainingDevices trainingDevices() {
        return new TrainingDevices(DeviceDiscovery.trainingDevices());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EngineSettings engineSettings(MnistProperties properties) {
        // Whatever uses TensorFlow needs these settings: load it here first, quietly, and name the devices.
        TensorFlowStartup.devices();
        int intra = properties.engine().intraOpThreads();
        return new EngineSettings(intra > 0 ? intra : Runtime.getRuntime().availableProcessors(), properties.engine().interOpThreads());
    }
}
