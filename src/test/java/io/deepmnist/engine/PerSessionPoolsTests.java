package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * With TensorFlow's per-session intra-op pools on (the service turns them on for itself, which the start-up line
 * reports and {@code KillRecoveryIntegrationTests} checks; Surefire sets them for this JVM, where whichever test
 * comes first loads TensorFlow), a prediction session for lone images can have one thread while training sessions
 * have one per core; each session's pool goes when the session closes.
 */
class PerSessionPoolsTests {

    private static final int THREADS = 3;

    @Test
    void aSessionBringsItsOwnPoolAndTakesItAwayWhenItCloses() {
        TensorFlowStartup.devices();
        Set<String> before = nativeThreads();
        Set<String> started;
        try (Graph graph = new Graph();
             Session session = new Session(graph, new EngineSettings(THREADS, -1).toConfigProto())) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
            var sum = tf.math.add(x, x);
            try (TFloat32 one = TFloat32.tensorOf(Shape.of(1, 1)); Result r = session.runner().feed(x, one).fetch(sum).run()) {
                started = new HashSet<>(nativeThreads());
                started.removeAll(before);
            }
        }
        Set<String> left = new HashSet<>(started);
        left.retainAll(nativeThreads());
        // By thread id, so that threads of earlier tests ending meanwhile do not count (they did: 2 of 3 once).
        assertThat(started).as("threads the session started (its intra-op pool of %d)", THREADS).hasSizeGreaterThanOrEqualTo(THREADS);
        assertThat(left).as("of those, threads still running once it closed").hasSizeLessThanOrEqualTo(1);
    }

    /** The ids of every thread of the process, TensorFlow's native ones included (the JVM knows only its own). */
    private static Set<String> nativeThreads() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(task -> task.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
