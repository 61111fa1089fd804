package io.deepmnist.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;
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
        for (OptimizerKind kind : values()) {
            if (kind.id.equalsIgnoreCase(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + id + "'; expected one of "
                + Arrays.stream(values()).map(OptimizerKind::id).collect(Collectors.joining(", ")));
    }
}
