package io.deepmnist.web.jobs;

import io.deepmnist.engine.Hyperparameters;
import io.deepmnist.engine.ModelKind;
import io.deepmnist.inference.ModelEntry;
import io.deepmnist.inference.ModelNotFoundException;
import io.deepmnist.inference.ModelRegistry;
import io.deepmnist.jobs.InvalidJobException;
import io.deepmnist.jobs.TrainingPlan;
import org.springframework.stereotype.Component;

/** Turns a job request into hyperparameters and a {@link TrainingPlan}: the model it starts from, its feedback, its alias. */
@Component
class JobPlanner {

    /** A fine-tune's steps when the request gives none. */
    static final int FINE_TUNE_STEPS = 1000;
    static final double DEFAULT_RATIO = 0.2;
    private static final String DEFAULT_ALIAS = "default";

    private final ModelRegistry registry;

    JobPlanner(ModelRegistry registry) {
        this.registry = registry;
    }

    record Plan(Hyperparameters hyperparameters, TrainingPlan plan) {
    }

    /** @throws InvalidJobException where the parts of the request do not fit together */
    Plan plan(JobRequest request) {
        ModelEntry parent = parent(request);
        Hyperparameters hp = parent == null ? request.toHyperparameters()
                : request.toHyperparameters(parent.manifest().hyperparameters().withSteps(FINE_TUNE_STEPS));
        if (parent != null && hp.optimizer() != parent.manifest().hyperparameters().optimizer()) {
            throw new InvalidJobException("optimizer must be %s, the optimizer model %s was trained with: a fine-tune starts "
                    .formatted(parent.manifest().hyperparameters().optimizer().id(), parent.id()) + "from its optimizer's state too");
        }
        String alias = request.alias();
        if (alias != null) {
            if (Boolean.TRUE.equals(request.promote()) && !DEFAULT_ALIAS.equals(alias)) {
                throw new InvalidJobException("promote and alias '%s' contradict each other: a promoted model is the default; "
                        .formatted(alias) + "leave out promote to train a challenger");
            }
            registry.checkAlias(alias);
        }
        return new Plan(hp, new TrainingPlan(parent == null ? null : parent.id(), ratio(request.data()), alias));
    }

    private ModelEntry parent(JobRequest request) {
        if (request.from() == null) {
            return null;
        }
        ModelEntry parent;
        try {
            parent = registry.named(request.from());
        } catch (ModelNotFoundException e) {
            throw new InvalidJobException("from: there is no model or alias '%s' to start from; GET /models lists the models "
                    .formatted(request.from()) + "and GET /models/aliases the aliases");
        }
        if (parent.manifest().hyperparameters() == null) {
            throw new InvalidJobException("from: model %s was not trained by this service and has no training graph to start from"
                    .formatted(parent.id()));
        }
        ModelKind kind = parent.manifest().hyperparameters().model();
        if (!kind.id().equals(request.model())) {
            throw new InvalidJobException("model must be %s: model %s, which the job starts from, is a %s model"
                    .formatted(kind.id(), parent.id(), kind.id()));
        }
        return parent;
    }

    private static Double ratio(JobRequest.Data data) {
        if (data == null || !Boolean.TRUE.equals(data.feedback())) {
            if (data != null && data.ratio() != null) {
                throw new InvalidJobException("data.ratio is the labelled predictions' share of each batch: it needs "
                        + "data.feedback set to true");
            }
            return null;
        }
        return data.ratio() == null ? DEFAULT_RATIO : data.ratio();
    }
}
