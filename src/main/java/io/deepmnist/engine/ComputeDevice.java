package io.deepmnist.engine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A device TensorFlow can run on.
 *
 * @param name  TensorFlow's short name, such as {@code /device:CPU:0} or {@code /device:GPU:1}
 * @param type  {@code CPU} or {@code GPU}
 * @param index the device's number among those of its type
 */
public record ComputeDevice(String name, String type, int index, long memoryBytes) {

    public static final ComputeDevice CPU = new ComputeDevice("/device:CPU:0", "CPU", 0, 0);

    private static final Pattern NAME = Pattern.compile("(?i)(?:/device:)?(CPU|GPU):(\\d{1,3})");

    public boolean isGpu() {
        return "GPU".equals(type);
    }

    /**
     * A device named as in {@code mnist.engine.devices}: {@code GPU:1}, {@code cpu:0} or {@code /device:GPU:1}.
     *
     * @throws IllegalArgumentException for anything else, saying what is accepted
     */
    public static ComputeDevice parse(String name) {
        Matcher m = NAME.matcher(name == null ? "" : name.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a device; name devices as CPU:N or GPU:N, such as GPU:0");
        }
        String type = m.group(1).toUpperCase(Locale.ROOT);
        int index = Integer.parseInt(m.group(2));
        return new ComputeDevice("/device:" + type + ":" + index, type, index, 0);
    }
}
