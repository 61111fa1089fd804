package io.deepmnist.engine;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * How TensorFlow sessions use the machine. Intra-op threads = cores and inter-op = 1 was the fastest
 * setting measured for these small graphs.
 *
 * @param precision {@link Precision#BF16} turns on oneDNN's bf16 auto mixed precision; {@link Precision#AUTO}
 *                  is the configured default, which a job resolves for its device before it builds a session
 */
public record EngineSettings(int intraOpThreads, int interOpThreads, Precision precision) {

    public EngineSettings {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be 0 (TensorFlow's choice) or positive");
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision is required");
        }
    }

    public EngineSettings(int intraOpThreads, int interOpThreads) {
        this(intraOpThreads, interOpThreads, Precision.FP32);
    }

    public static EngineSettings defaults() {
        return new EngineSettings(Runtime.getRuntime().availableProcessors(), 1);
    }

    public EngineSettings withPrecision(Precision newPrecision) {
        return new EngineSettings(intraOpThreads, interOpThreads, newPrecision);
    }

    public ConfigProto toConfigProto() {
        ConfigProto.Builder config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .setAllowSoftPlacement(true);
        if (precision == Precision.BF16) {
            config.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder()
                    .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)));
        }
        return config.build();
    }
}
