package io.deepmnist.system;

import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.DeviceDiscovery;
import io.deepmnist.engine.TensorFlowInfo;
import io.deepmnist.jobs.TrainingDevices;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** {@code /actuator/info}: the TensorFlow versions and the devices it found. */
@Component
class TensorFlowInfoContributor implements InfoContributor {

    private final TrainingDevices training;

    TensorFlowInfoContributor(TrainingDevices training) {
        this.training = training;
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("tensorflow", Map.of(
                "nativeVersion", TensorFlowInfo.nativeVersion(),
                "javaVersion", TensorFlowInfo.javaVersion(),
                "devices", DeviceDiscovery.listDevices().stream().map(ComputeDevice::name).toList(),
                "trainingDevices", training.devices().stream().map(ComputeDevice::name).toList()));
    }
}
