package io.deepmnist.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The tutorial's two models, with their tutorial hyperparameters. */
public enum ModelKind {
    SOFTMAX("softmax", new SoftmaxGraph()) {
        @Override
        public Hyperparameters defaults() {
            return new Hyperparameters(this, 1000, 100, OptimizerKind.GRADIENT_DESCENT, 0.5f, 1.0f, 100, 0, 0L);
        }
    },
    CNN("cnn", new CnnGraph()) {
        @Override
        public Hyperparameters defaults() {
            return new Hyperparameters(this, 20_000, 50, OptimizerKind.ADAM, 1e-4f, 0.5f, 100, 1000, 0L);
        }
    };

    private final String id;
    private final ModelGraph graph;

    ModelKind(String id, ModelGraph graph) {
        this.id = id;
        this.graph = graph;
    }

    /** The tutorial's hyperparameters for this model, with seed 0. */
    public abstract Hyperparameters defaults();

    /** The name used on the command line, in the API and in manifests. */
    @JsonValue
    public String id() {
        return id;
    }

    ModelGraph graph() {
        return graph;
    }

    @JsonCreator
    public static ModelKind fromId(String id) {
        return NamedKinds.fromId(ModelKind.class, ModelKind::id, "model", id);
    }
}
