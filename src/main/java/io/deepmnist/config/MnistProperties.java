package io.deepmnist.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mnist.*}: where the service keeps its files and how it gets the dataset and runs TensorFlow.
 *
 * @param home            everything lives under it (environment variable {@code MNIST_HOME}); absolute, as
 *                        {@link AbsoluteHome} makes it before binding
 * @param mirrors         base URLs tried in turn for the {@code .gz} files when they are missing; empty means the
 *                        mirror TensorFlow's own {@code read_data_sets} used
 * @param downloadTimeout per request to a mirror
 * @param engine          TensorFlow thread settings; 0 intra-op threads means one per core
 */
@ConfigurationProperties("mnist")
public record MnistProperties(
        @DefaultValue("./data") Path home,
        List<URI> mirrors,
        @DefaultValue("60s") Duration downloadTimeout,
        @DefaultValue Engine engine) {

    public MnistProperties {
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
    }

    /**
     * @param precision auto (bf16 where the CPU has AVX512_BF16 or AMX, else fp32), fp32 or bf16: how jobs train
     *                  unless they say otherwise
     * @param devices the devices that get a training worker, such as {@code GPU:0,GPU:1}; empty: what TensorFlow
     *                finds (each GPU, else the CPU). Ops pinned to a device TensorFlow lacks run on the CPU.
     */
    public record Engine(@DefaultValue("0") int intraOpThreads, @DefaultValue("1") int interOpThreads,
                         @DefaultValue("auto") String precision, List<String> devices) {

        public Engine {
            devices = devices == null ? List.of() : List.copyOf(devices);
        }
    }
}
