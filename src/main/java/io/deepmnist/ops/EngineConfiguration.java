package io.deepmnist.ops;

import io.deepmnist.config.MnistProperties;
import io.deepmnist.dataset.DatasetProvider;
import io.deepmnist.dataset.HttpMirrorSource;
import io.deepmnist.dataset.MnistAcquirer;
import io.deepmnist.dataset.MnistHome;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.DeviceDiscovery;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.Precision;
import io.deepmnist.engine.TensorFlowStartup;
import io.deepmnist.engine.TrainingDevices;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The plain-Java dataset and engine pieces as beans, configured from {@link MnistProperties}. */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EngineConfiguration.class);

    @Bean
    DatasetProvider datasetProvider(MnistProperties properties) {
        List<URI> mirrors = properties.mirrors().isEmpty() ? HttpMirrorSource.DEFAULT_MIRRORS : properties.mirrors();
        var acquirer = new MnistAcquirer(List.of(new HttpMirrorSource(mirrors, properties.downloadTimeout())));
        return new DatasetProvider(MnistHome.datasetDir(properties.home()), acquirer);
    }

    @Bean
    TrainingDevices trainingDevices(MnistProperties properties) {
        List<String> configured = properties.engine().devices();
        if (configured.isEmpty()) {
            return new TrainingDevices(DeviceDiscovery.trainingDevices());
        }
        List<ComputeDevice> devices = new ArrayList<>();
        for (String name : configured) {
            try {
                ComputeDevice device = ComputeDevice.parse(name);
                if (devices.stream().noneMatch(d -> d.name().equals(device.name()))) {
                    devices.add(device);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mnist.engine.devices: " + e.getMessage(), e);
            }
        }
        List<String> found = DeviceDiscovery.listDevices().stream().map(ComputeDevice::name).toList();
        List<String> missing = devices.stream().map(ComputeDevice::name).filter(n -> !found.contains(n)).toList();
        log.info("Training devices from mnist.engine.devices: {}{}", devices.stream().map(ComputeDevice::name).toList(),
                missing.isEmpty() ? "" : "; TensorFlow has no " + missing + ": their ops run on the CPU (soft placement)");
        return new TrainingDevices(devices);
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
        return new EngineSettings(intra > 0 ? intra : Runtime.getRuntime().availableProcessors(), properties.engine().interOpThreads(),
                Precision.fromSetting("mnist.engine.precision", properties.engine().precision()));
    }
}
