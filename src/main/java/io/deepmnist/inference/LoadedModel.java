package io.deepmnist.inference;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.Precision;
import java.util.ArrayDeque;
import java.util.Deque;
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
 * request never sees its session closed under it. Batches run in a session whose kernels split their work over
 * one thread per core; lone images, when asked for, in a second session with one thread, entirely in the
 * caller's thread. In bf16 both sessions run a {@link FrozenGraph}, its weights constants that the bf16 rewrite
 * casts once; fp32 sessions run the SavedModel itself, where oneDNN lays out the weights once for every batch
 * size (as constants, it laid them out again whenever the batch size changed: p90 6.3-7.1 ms against 2.8-3.1 ms
 * for batches of 2 to 8 in turn).
 */
final class LoadedModel {

    private final String id;
    private final Precision precision;
    private final boolean frozen;
    private final SessionFunction serving;
    /** Runs lone images in a session with one intra-op thread; null: none. */
    private final SessionFunction single;
    /** Closes what the load opened, the last opened first (sessions before their graph). */
    private final Deque<Runnable> closers;
    private int references = 1;
    private boolean retired;

    private LoadedModel(String id, Precision precision, boolean frozen, SessionFunction serving, SessionFunction single,
                        Deque<Runnable> closers) {
        this.id = id;
        this.precision = precision;
        this.frozen = frozen;
        this.serving = serving;
        this.single = single;
        this.closers = closers;
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
        return open(entry, pooled, singleImageSession && !lone.equals(pooled) ? lone : null,
                pooled.precision() == Precision.BF16);
    }

    /**
     * @param lone   the settings of the session for lone images; null: none
     * @param freeze run a {@link FrozenGraph} of the serving function rather than the SavedModel
     */
    static LoadedModel open(ModelEntry entry, EngineSettings pooled, EngineSettings lone, boolean freeze) {
        Deque<Runnable> closers = new ArrayDeque<>();
        try {
            SessionFunction serving;
            SessionFunction single = null;
            if (freeze) {
                Signature signature;
                Graph graph;
                try (SavedModelBundle bundle = bundle(entry, pooled.singleThreaded().withPrecision(Precision.FP32))) {
                    signature = bundle.function(MnistModel.SERVING_SIGNATURE).signature();
                    graph = FrozenGraph.of(bundle, signature);
                }
                closers.push(graph::close);
                serving = SessionFunction.create(signature, session(graph, pooled, closers));
                if (lone != null) {
                    single = SessionFunction.create(signature, session(graph, lone, closers));
                }
            } else {
                SavedModelBundle bundle = bundle(entry, pooled);
                closers.push(bundle::close);
                serving = bundle.function(MnistModel.SERVING_SIGNATURE); // throws where the SavedModel lacks it
                if (lone != null) {
                    SavedModelBundle loneBundle = bundle(entry, lone);
                    closers.push(loneBundle::close);
                    single = loneBundle.function(MnistModel.SERVING_SIGNATURE);
                }
            }
            return new LoadedModel(entry.id(), pooled.precision(), freeze, serving, single, closers);
        } catch (RuntimeException e) {
            closeAll(closers);
            throw e;
        }
    }

    private static SavedModelBundle bundle(ModelEntry entry, EngineSettings settings) {
        return SavedModelBundle.loader(entry.dir().toString()).withTags(MnistModel.SERVING_TAG)
                .withConfigProto(settings.toConfigProto()).load();
    }

    private static Session session(Graph graph, EngineSettings settings, Deque<Runnable> closers) {
        Session session = new Session(graph, settings.toConfigProto());
        closers.push(session::close);
        return session;
    }

    private static void closeAll(Deque<Runnable> closers) {
        while (!closers.isEmpty()) {
            closers.pop().run();
        }
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

    /** Runs {@code closer} after the sessions close, such as releasing the model's files. */
    synchronized void closeAlso(Runnable closer) {
        closers.addLast(closer);
    }

    synchronized void release() {
        if (--references == 0) {
            closeAll(closers);
        }
    }

    /** Takes no new requests; closes once those in flight are done. */
    synchronized void retire() {
        if (!retired) {
            retired = true;
            release();
        }
    }

    /** Whether its sessions run a {@link FrozenGraph} of the serving function. */
    boolean isFrozen() {
        return frozen;
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
