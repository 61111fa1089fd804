package io.deepmnist.engine;

import org.tensorflow.proto.ConfigProto;

/**
 * How TensorFlow sessions use the machine. Intra-op threads = cores and inter-op = 1 was the fastest
 * setting measured for these small graphs.
 */
public record EngineSettings(int intraOpThreads, int interOpThreads) {

    public EngineSettings {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be 0 (TensorFlow's choice) or positive");
        }
    }

    public static EngineSettings defaults() {
        return new EngineSettings(Runtime.getRuntime().availableProcessors(), 1);
    }

    public ConfigProto toConfigProto() {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .setAllowSoftPlacement(true)
                .build();
    }
}
