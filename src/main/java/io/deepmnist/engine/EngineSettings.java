package io.deepmnist.engine;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * How TensorFlow sessions use the machine. Intra-op threads = cores and inter-op = 1 was the fastest
 * setting measured for training these small graphs; a negative inter-op count runs every op in the calling
 * thread (TensorFlow's own meaning), which prediction sessions use.
 *
 * @param precision {@link Precision#BF16} turns on oneDNN's bf16 auto mixed precision; {@link Precision#AUTO}
 *                  is the configured default, which a job resolves for its device before it builds a session
 */
public record EngineSettings(int intraOpThreads, int interOpThreads, Precision precision) {

    public EngineSettings {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intra-op threads must be 0 (TensorFlow's choice) or positive");
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

    /**
     * For prediction sessions: each session run executes its ops in the caller's thread (kernels still split
     * work over the intra-op pool) instead of handing them to the inter-op pool and waiting. A single image's
     * forward pass then costs no thread hand-off: single-image predictions at concurrency 1 answered 8-10 %
     * more requests per second on the 2-core build machine; training steps ran at the same rate either way.
     */
    public EngineSettings inCallersThread() {
        return new EngineSettings(intraOpThreads, -1, precision);
    }

    /**
     * For the session that runs lone images: one intra-op thread as well, so the whole forward pass runs in the
     * caller's thread. Each kernel's split over the pool cost thread hand-offs (21 context switches per
     * prediction, measured with {@code perf stat}) and two spinning pool threads that took the cores from the
     * HTTP work around the run; batches keep the pool, where the split pays.
     */
    public EngineSettings singleThreaded() {
        return new EngineSettings(1, -1, precision);
    }

    /** @throws IllegalStateException for {@link Precision#AUTO}, which only a device and a CPU can settle */
    public ConfigProto toConfigProto() {
        if (precision == Precision.AUTO) {
            throw new IllegalStateException("resolve the precision for a device (Precision.resolve) before building a session");
        }
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
