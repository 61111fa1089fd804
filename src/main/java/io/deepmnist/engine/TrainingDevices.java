package io.deepmnist.engine;

import io.deepmnist.engine.ComputeDevice;
import java.util.List;

/** The devices that get a training worker: each GPU, else the CPU. */
public record TrainingDevices(List<ComputeDevice> devices) {

    public TrainingDevices {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("at least one device is needed");
        }
        devices = List.copyOf(devices);
    }
}
