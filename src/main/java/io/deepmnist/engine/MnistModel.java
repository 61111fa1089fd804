package io.deepmnist.engine;

import io.deepmnist.dataset.Batch;
import io.deepmnist.dataset.DataSplit;
import io.deepmnist.dataset.MnistFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * One of the tutorial's models with its training ops, owning its Graph and Session. Not thread-safe: one
 * job trains one instance. Every Tensor and Result it creates is closed before its method returns.
 */
public final class MnistModel implements AutoCloseable {

    public static final String IMAGES = "images";
    public static final String LABELS = "labels";
    public static final String KEEP_PROB = "keep_prob";
    public static final String LOGITS = "logits";
    public static final String PROBABILITIES = "probabilities";
    public static final String LOSS = "loss";
    public static final String ACCURACY = "accuracy";
    public static final String TRAIN = "train";
    public static final String SERVING_SIGNATURE = "serving_default";
    public static final String SERVING_TAG = "serve";

    private final Hyperparameters hyperparameters;
    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> images;
    private final Operand<TFloat32> probabilities;
    private final Op train;
    private final TFloat32 trainingKeepProb;

    private MnistModel(Hyperparameters hyperparameters, Graph graph, Session session,
                       Placeholder<TFloat32> images, Operand<TFloat32> probabilities, Op train) {
        this.hyperparameters = hyperparameters;
        this.graph = graph;
        this.session = session;
        this.images = images;
        this.probabilities = probabilities;
        this.train = train;
        this.trainingKeepProb = TFloat32.scalarOf(hyperparameters.keepProb());
    }

    /** Builds the model on the CPU. */
    public static MnistModel create(Hyperparameters hp, EngineSettings settings) {
        return create(hp, settings, ComputeDevice.CPU);
    }

    /**
     * Builds the graph, optimizer included (so checkpoints cover its slots), and initialises fresh weights.
     * The forward pass is pinned to {@code device}; TensorFlow places the optimizer's ops, softly.
     */
    public static MnistModel create(Hyperparameters hp, EngineSettings settings, ComputeDevice device) {
        Graph graph = new Graph();
        try {
            Ops tf = Ops.create(graph).withDevice(DeviceSpec.newBuilder()
                    .deviceType(DeviceSpec.DeviceType.valueOf(device.type())).deviceIndex(device.index()).build());
            var images = tf.withName(IMAGES).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, MnistFile.PIXELS)));
            var labels = tf.withName(LABELS).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, MnistFile.CLASSES)));
            var keepProb = tf.withName(KEEP_PROB).placeholderWithDefault(tf.constant(1.0f), Shape.scalar());

            var logits = tf.withName(LOGITS).identity(hp.model().graph().logits(tf, images, keepProb, hp.seed()));
            var probabilities = tf.withName(PROBABILITIES).nn.softmax(logits);
            // The fused op stays finite where the tutorial's -sum(y_ * log(softmax(y))) turns into NaN.
            var crossEntropy = tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss();
            var loss = tf.withName(LOSS).math.mean(crossEntropy, tf.constant(0));
            var correct = tf.math.equal(tf.math.argMax(logits, tf.constant(1)), tf.math.argMax(labels, tf.constant(1)));
            tf.withName(ACCURACY).math.mean(tf.dtypes.cast(correct, TFloat32.class), tf.constant(0));
            Op train = hp.optimizer().create(graph, hp.learningRate()).minimize(loss, TRAIN);

            Session session = openSession(graph, settings.toConfigProto(), Session::initialize);
            return new MnistModel(hp, graph, session, images, probabilities, train);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /**
     * A session on {@code graph}, prepared by {@code initializer}. If that fails the session is closed before the
     * caller closes the graph: {@code Graph.close} waits for the graph's sessions, and would wait forever.
     */
    static Session openSession(Graph graph, ConfigProto config, Consumer<Session> initializer) {
        Session session = new Session(graph, config);
        try {
            initializer.accept(session);
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    /** One optimizer step on {@code batch}, with dropout at the configured keep probability. */
    public void trainStep(Batch batch) {
        try (TFloat32 x = matrix(batch.images(), batch.size(), MnistFile.PIXELS);
             TFloat32 y = matrix(batch.labels(), batch.size(), MnistFile.CLASSES);
             Result ignored = session.runner().feed(IMAGES, x).feed(LABELS, y).feed(KEEP_PROB, trainingKeepProb)
                     .addTarget(train).run()) {
            // only the update matters
        }
    }

    /** Accuracy and loss on {@code batch} with dropout off: what the tutorial logs as training accuracy. */
    public BatchMetrics measure(Batch batch) {
        try (TFloat32 x = matrix(batch.images(), batch.size(), MnistFile.PIXELS);
             TFloat32 y = matrix(batch.labels(), batch.size(), MnistFile.CLASSES);
             Result result = session.runner().feed(IMAGES, x).feed(LABELS, y).fetch(ACCURACY).fetch(LOSS).run()) {
            return new BatchMetrics(((TFloat32) result.get(0)).getFloat(), ((TFloat32) result.get(1)).getFloat());
        }
    }

    /** The tutorial's accuracy over a whole split, computed in chunks to bound memory. */
    public double accuracy(DataSplit split, int chunkSize) {
        float[] chunkImages = new float[chunkSize * MnistFile.PIXELS];
        float[] chunkLabels = new float[chunkSize * MnistFile.CLASSES];
        long correct = 0;
        for (int first = 0; first < split.size(); first += chunkSize) {
            int count = Math.min(chunkSize, split.size() - first);
            split.copyRange(first, count, chunkImages, chunkLabels);
            try (TFloat32 x = matrix(chunkImages, count, MnistFile.PIXELS);
                 TFloat32 y = matrix(chunkLabels, count, MnistFile.CLASSES);
                 Result result = session.runner().feed(IMAGES, x).feed(LABELS, y).fetch(ACCURACY).run()) {
                correct += Math.round(((TFloat32) result.get(0)).getFloat() * count);
            }
        }
        return (double) correct / split.size();
    }

    /** Class probabilities for {@code count} images of 784 pixels each, flattened row by row. */
    public float[] probabilities(float[] pixels, int count) {
        try (TFloat32 x = matrix(pixels, count, MnistFile.PIXELS);
             Result result = session.runner().feed(IMAGES, x).fetch(PROBABILITIES).run()) {
            float[] out = new float[count * MnistFile.CLASSES];
            ((TFloat32) result.get(0)).copyTo(DataBuffers.of(out, false, false));
            return out;
        }
    }

    /** Writes every variable, optimizer slots included, as {@code prefix.index} and {@code prefix.data-*}. */
    public void save(Path prefix) {
        session.save(prefix.toString());
    }

    public void restore(Path prefix) {
        session.restore(prefix.toString());
    }

    /** Exports a SavedModel whose {@code serving_default} maps {@code images} [-1,784] to {@code probabilities} [-1,10]. */
    public void exportSavedModel(Path dir) {
        Signature signature = Signature.builder().key(SERVING_SIGNATURE)
                .input(IMAGES, images).output(PROBABILITIES, probabilities).build();
        try {
            SavedModelBundle.exporter(dir.toString()).withTags(SERVING_TAG).withSession(session).withSignature(signature).export();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export the SavedModel to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        trainingKeepProb.close();
        session.close();
        graph.close();
    }

    static TFloat32 matrix(float[] data, int rows, int columns) {
        return TFloat32.tensorOf(Shape.of(rows, columns), DataBuffers.of(data, true, false).narrow((long) rows * columns));
    }
}
