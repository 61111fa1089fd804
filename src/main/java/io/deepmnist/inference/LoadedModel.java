package io.deepmnist.inference;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.Precision;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A SavedModel in memory, reference counted: the cache holds one reference, each request in flight another.
 * Once retired (evicted or deleted) it takes no new requests and closes when the last one finishes, so a
 * request never sees its session closed under it. Its serving function runs as a {@link FrozenGraph}, the
 * weights as constants. Batches run in a session whose kernels split their work over one thread per core; lone
 * images, when asked for, in a second session of the same graph with one thread, entirely in the caller's thread.
 */
final class LoadedModel {

    private final String id;
    private final Graph graph;
    private final Session pooledSession;
    private final SessionFunction serving;
    /** A session with one intra-op thread for lone images; null: none. */
    private final Session singleSession;
    private final SessionFunction single;
    private final Precision precision;
    private int references = 1;
    private boolean retired;

    private LoadedModel(String id, Graph graph, Signature signature, Session pooledSession, Session singleSession,
                        Precision precision) {
        this.id = id;
        this.graph = graph;
        this.pooledSession = pooledSession;
        this.singleSession = singleSession;
        this.precision = precision;
        this.serving = SessionFunction.create(signature, pooledSession);
        this.single = singleSession == null ? null : SessionFunction.create(signature, singleSession);
    }

    static LoadedModel load(ModelEntry entry, EngineSettings settings) {
        return load(entry, settings, null, false);
    }

    /**
     * @param precision          the sessions' precision; null: the one the model was trained in
     * @param singleImageSession also open a session with one intra-op thread for lone images (unless the
     *                           settings have one intra-op thread already)
     */
    static LoadedModel load(ModelEntry entry, EngineSettings settings, Precision precision, boolean singleImageSession) {
        Precision asked = precision != null ? precision : entry.manifest().trainedPrecision();
        EngineSettings pooled = settings.withPrecision(asked.resolve(ComputeDevice.CPU).precision()).inCallersThread();
        EngineSettings lone = pooled.singleThreaded();
        Signature signature;
        Graph graph;
        try (SavedModelBundle bundle = SavedModelBundle.loader(entry.dir().toString()).withTags(MnistModel.SERVING_TAG)
                .withConfigProto(lone.withPrecision(Precision.FP32).toConfigProto()).load()) {
            signature = bundle.function(MnistModel.SERVING_SIGNATURE).signature();
            graph = FrozenGraph.of(bundle, signature);
        }
        Session pooledSession = null;
        Session singleSession = null;
        try {
            pooledSession = new Session(graph, pooled.toConfigProto());
            if (singleImageSession && !lone.equals(pooled)) {
                singleSession = new Session(graph, lone.toConfigProto());
            }
            return new LoadedModel(entry.id(), graph, signature, pooledSession, singleSession, pooled.precision());
        } catch (RuntimeException e) {
            close(pooledSession, singleSession, graph);
            throw e;
        }
    }

    /** Sessions first: {@code Graph.close} waits for the graph's sessions. */
    private static void close(Session pooledSession, Session singleSession, Graph graph) {
        if (pooledSession != null) {
            pooledSession.close();
        }
        if (singleSession != null) {
            singleSession.close();
        }
        graph.close();
    }

    String id() {
        return id;
    }

    /** What its sessions compute in: FP32 or BF16. */
    Precision precision() {
        return precision;
    }

    synchronized boolean tryAcquire() {
        if (retired) {
            return false;
        }
        references++;
        return true;
    }

    synchronized void release() {
        if (--references == 0) {
            close(pooledSession, singleSession, graph);
        }
    }

    /** Takes no new requests; closes once those in flight are done. */
    synchronized void retire() {
        if (!retired) {
            retired = true;
            release();
        }
    }

    /** Whether lone images run in a session of their own with one intra-op thread. */
    boolean hasSingleImageSession() {
        return single != null;
    }

    /** Probabilities for {@code count} images of 784 pixels, as one session run. */
    float[] probabilities(float[] pixels, int count) {
        SessionFunction session = count == 1 && single != null ? single : serving;
        try (TFloat32 images = TFloat32.tensorOf(Shape.of(count, MnistFile.PIXELS),
                DataBuffers.of(pixels, true, false).narrow((long) count * MnistFile.PIXELS));
             Result result = session.call(Map.of(MnistModel.IMAGES, images))) {
            float[] out = new float[count * MnistFile.CLASSES];
            ((TFloat32) result.get(MnistModel.PROBABILITIES).orElseThrow()).copyTo(DataBuffers.of(out, false, false));
            return out;
        }
    }
}
