package io.deepmnist.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.tensorflow.Graph;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.framework.optimizers.Optimizer;

/** The optimizers the tutorial uses. */
public enum OptimizerKind {
    GRADIENT_DESCENT("gradient-descent"),
    ADAM("adam");

    private final String id;

    OptimizerKind(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    Optimizer create(Graph graph, float learningRate) {
        return switch (this) {
            case GRADIENT_DESCENT -> new GradientDescent(graph, learningRate);
            case ADAM -> new Adam(graph, learningRate);
        };
    }

    @JsonCreator
    public static OptimizerKind fromId(String id) {
        return NamedKinds.fromId(OptimizerKind.class, OptimizerKind::id, "optimizer", id);
    }
}
