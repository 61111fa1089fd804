package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Building a model's session: a failure leaves nothing open that would hang the worker that cleans up. */
class MnistModelTests {

    /** Far beyond the milliseconds a close takes; a graph whose session stayed open never closes at all. */
    private static final Duration HANG = Duration.ofSeconds(20);
    private static final ConfigProto CONFIG = EngineSettings.defaults().withPrecision(Precision.FP32).toConfigProto();

    @Test
    void aSessionThatFailsToInitialiseIsClosedSoItsGraphCanBeClosed() {
        assertTimeoutPreemptively(HANG, () -> {
            Graph graph = new Graph();
            Ops tf = Ops.create(graph);
            tf.withName("weights").variable(tf.fill(tf.constant(new long[] {784, 10}), tf.constant(0f)));
            assertThatThrownBy(() -> MnistModel.openSession(graph, CONFIG, session -> {
                        session.initialize();
                        throw new IllegalStateException("injected: the initialisation failed");
                    })).hasMessageContaining("injected");
            graph.close();
        }, "Graph.close() waited for a session that the failed initialisation left open");
    }

    @Test
    void aSessionThatInitialisesIsReturnedOpen() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            var weights = tf.withName("weights").variable(tf.fill(tf.constant(new long[] {2}), tf.constant(3f)));
            try (Session session = MnistModel.openSession(graph, CONFIG, Session::initialize);
                 Result result = session.runner().fetch(weights).run()) {
                assertThat(((TFloat32) result.get(0)).getFloat(1)).isEqualTo(3f);
            }
        }
    }
}
