package io.deepmnist.ops;

import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.DeviceDiscovery;
import io.deepmnist.engine.TensorFlowInfo;
import io.deepmnist.engine.TrainingDevices;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** {@code /actuator/info}: the TensorFlow versions and the devices it found. */
@Component
class TensorFlowInfoContributor implements InfoContributor {

    private final TrainingDevices training;
    private final List<String> devices;

    TensorFlowInfoContributor(TrainingDevices training) {
        this.training = training;
        // Listing devices opens a TensorFlow session: done once, not on every request.
        this.devices = DeviceDiscovery.listDevices().stream().map(ComputeDevice::name).toList();
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("tensorflow", Map.of(
                "nativeVersion", TensorFlowInfo.nativeVersion(),
                "javaVersion", TensorFlowInfo.javaVersion(),
                "devices", devices,
                "trainingDevices", training.devices().stream().map(ComputeDevice::name).toList()));
    }
}
