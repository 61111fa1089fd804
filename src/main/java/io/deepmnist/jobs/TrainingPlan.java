package io.deepmnist.jobs;

/**
 * What a job starts from, what it mixes into its batches and what its model becomes, beyond its hyperparameters.
 *
 * @param fromModel     the registered model whose weights (and optimizer state) it starts from; null: fresh weights
 * @param feedbackRatio the share of each batch taken from labelled predictions, in (0, 1]; null: MNIST alone
 * @param alias         the alias that names its model once it succeeds; null: none
 */
public record TrainingPlan(String fromModel, Double feedbackRatio, String alias) {

    public static final TrainingPlan NONE = new TrainingPlan(null, null, null);

    public TrainingPlan {
        if (feedbackRatio != null && !(feedbackRatio > 0 && feedbackRatio <= 1)) {
            throw new InvalidJobException("data.ratio must be in (0, 1], the share of each batch taken from labelled "
                    + "predictions; got " + feedbackRatio);
        }
    }
}
