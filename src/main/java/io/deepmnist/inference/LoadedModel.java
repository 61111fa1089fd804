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
 * request never sees its session closed under it.
 */
final class LoadedModel {

    private final String id;
    private final SavedModelBundle bundle;
    private final SessionFunction serving;
    private final Precision precision;
    private int references = 1;
    private boolean retired;

    private LoadedModel(String id, SavedModelBundle bundle, Precision precision) {
        this.id = id;
        this.bundle = bundle;
        this.precision = precision;
        this.serving = bundle.function(MnistModel.SERVING_SIGNATURE);
    }

    static LoadedModel load(ModelEntry entry, EngineSettings settings) {
        return load(entry, settings, null);
    }

    /** @param precision the sessions' precision; null: the one the model was trained in */
    static LoadedModel load(ModelEntry entry, EngineSettings settings, Precision precision) {
        Precision asked = precision != null ? precision : entry.manifest().trainedPrecision();
        Precision used = asked.resolve(ComputeDevice.CPU).precision();
        SavedModelBundle bundle = SavedModelBundle.loader(entry.dir().toString())
                .withTags(MnistModel.SERVING_TAG).withConfigProto(settings.withPrecision(used).inCallersThread().toConfigProto()).load();
        try {
            return new LoadedModel(entry.id(), bundle, used);
        } catch (RuntimeException e) {
            bundle.close(); // a SavedModel without the serving signature
            throw e;
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

    synchronized void release() {
        if (--references == 0) {
            bundle.close();
        }
    }

    /** Takes no new requests; closes once those in flight are done. */
    synchronized void retire() {
        if (!retired) {
            retired = true;
            release();
        }
    }

    /** Probabilities for {@code count} images of 784 pixels, as one session run. */
    float[] probabilities(float[] pixels, int count) {
        try (TFloat32 images = TFloat32.tensorOf(Shape.of(count, MnistFile.PIXELS),
                DataBuffers.of(pixels, true, false).narrow((long) count * MnistFile.PIXELS));
             Result result = serving.call(Map.of(MnistModel.IMAGES, images))) {
            float[] out = new float[count * MnistFile.CLASSES];
            ((TFloat32) result.get(MnistModel.PROBABILITIES).orElseThrow()).copyTo(DataBuffers.of(out, false, false));
            return out;
        }
    }
}
