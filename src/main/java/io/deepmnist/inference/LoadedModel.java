package io.deepmnist.inference;

import io.deepmnist.dataset.MnistFile;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.MnistModel;
import io.deepmnist.engine.Precision;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A SavedModel in memory, reference counted: the cache holds one reference, each request in flight another.
 * Once retired (evicted or deleted) it takes no new requests and closes when the last one finishes, so a
 * request never sees its session closed under it. Batches run in a session whose kernels split their work over
 * one thread per core; lone images, when asked for, in a second session of the same SavedModel with one thread,
 * entirely in the caller's thread.
 */
final class LoadedModel {

    private final String id;
    private final SavedModelBundle bundle;
    private final SessionFunction serving;
    /** The same SavedModel again, in a session with one intra-op thread, for lone images; null: none. */
    private final SavedModelBundle singleBundle;
    private final SessionFunction single;
    private final Precision precision;
    private int references = 1;
    private boolean retired;

    private LoadedModel(String id, SavedModelBundle bundle, SavedModelBundle singleBundle, Precision precision) {
        this.id = id;
        this.bundle = bundle;
        this.singleBundle = singleBundle;
        this.precision = precision;
        this.serving = bundle.function(MnistModel.SERVING_SIGNATURE);
        this.single = singleBundle == null ? null : singleBundle.function(MnistModel.SERVING_SIGNATURE);
    }

    static LoadedModel load(ModelEntry entry, EngineSettings settings) {
        return load(entry, settings, null, false);
    }

    /**
     * @param precision          the sessions' precision; null: the one the model was trained in
     * @param singleImageSession also load a session with one intra-op thread for lone images (unless the
     *                           settings have one intra-op thread already)
     */
    static LoadedModel load(ModelEntry entry, EngineSettings settings, Precision precision, boolean singleImageSession) {
        Precision asked = precision != null ? precision : entry.manifest().trainedPrecision();
        EngineSettings pooled = settings.withPrecision(asked.resolve(ComputeDevice.CPU).precision()).inCallersThread();
        EngineSettings lone = pooled.singleThreaded();
        SavedModelBundle bundle = open(entry, pooled);
        SavedModelBundle singleBundle = null;
        try {
            if (singleImageSession && !lone.equals(pooled)) {
                singleBundle = open(entry, lone);
            }
            return new LoadedModel(entry.id(), bundle, singleBundle, pooled.precision());
        } catch (RuntimeException e) {
            bundle.close(); // a SavedModel without the serving signature
            if (singleBundle != null) {
                singleBundle.close();
            }
            throw e;
        }
    }

    private static SavedModelBundle open(ModelEntry entry, EngineSettings settings) {
        return SavedModelBundle.loader(entry.dir().toString()).withTags(MnistModel.SERVING_TAG)
                .withConfigProto(settings.toConfigProto()).load();
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
            bundle.close();
            if (singleBundle != null) {
                singleBundle.close();
            }
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
