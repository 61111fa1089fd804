package io.deepmnist.engine;

/**
 * A device TensorFlow can run on.
 *
 * @param name  TensorFlow's short name, such as {@code /device:CPU:0} or {@code /device:GPU:1}
 * @param type  {@code CPU} or {@code GPU}
 * @param index the device's number among those of its type
 */
public record ComputeDevice(String name, String type, int index, long memoryBytes) {

    public static final ComputeDevice CPU = new ComputeDevice("/device:CPU:0", "CPU", 0, 0);

    public boolean isGpu() {
        return "GPU".equals(type);
    }
}
