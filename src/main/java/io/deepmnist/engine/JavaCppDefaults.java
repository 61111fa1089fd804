package io.deepmnist.engine;

/**
 * JavaCPP, under TensorFlow Java, reads {@code /proc/self/statm} on every native allocation to compare the resident
 * size with {@value #MAX_PHYSICAL_BYTES} (four times the heap by default): about nine reads of 1.3 µs each per
 * single-image prediction. The service closes every tensor and result itself, so it turns that check off unless the
 * user set the property; JavaCPP's check of the bytes it tracks against the heap size stays. {@link TensorFlowStartup}
 * skips this for a plain TensorFlow program ({@link TensorFlowStartup#TENSORFLOW_DEFAULT_KERNELS}).
 */
final class JavaCppDefaults {

    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
    /** JavaCPP reads this spelling too; the camel-case one wins where both are set. */
    static final String MAX_PHYSICAL_BYTES_LOWER = "org.bytedeco.javacpp.maxphysicalbytes";

    private JavaCppDefaults() {
    }

    /**
     * Must run before JavaCPP's {@code Pointer} class initializes, which reads the property once: {@link
     * TensorFlowStartup} calls it first, and everything that uses TensorFlow in the service waits for that.
     */
    static void apply() {
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null && System.getProperty(MAX_PHYSICAL_BYTES_LOWER) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
    }
}
