package io.deepmnist.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.tensorflow.TensorFlow;

/** Versions of the TensorFlow runtime in use. */
public final class TensorFlowInfo {

    private TensorFlowInfo() {
    }

    /** The native TensorFlow version, such as 2.18.0; loads the native library on first use. */
    public static String nativeVersion() {
        return TensorFlow.version();
    }

    /** The TensorFlow Java version, read from the API jar's Maven metadata. */
    public static String javaVersion() {
        String resource = "/META-INF/maven/org.tensorflow/tensorflow-core-api/pom.properties";
        try (InputStream in = TensorFlow.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
