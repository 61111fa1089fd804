package io.deepmnist.engine;

/**
 * Everything that decides how a model trains.
 *
 * @param logEvery        steps between progress reports (the tutorial's 100)
 * @param checkpointEvery steps between checkpoints; 0 writes one only at the end
 * @param seed            seeds the weight initialisation, dropout and the batch order
 */
public record Hyperparameters(
        ModelKind model,
        int steps,
        int batchSize,
        OptimizerKind optimizer,
        float learningRate,
        float keepProb,
        int logEvery,
        int checkpointEvery,
        long seed) {

    public Hyperparameters {
        if (model == null || optimizer == null) {
            throw new IllegalArgumentException("model and optimizer are required");
        }
        require(steps >= 1, "steps must be at least 1, got " + steps);
        require(batchSize >= 1, "batchSize must be at least 1, got " + batchSize);
        require(learningRate > 0 && Float.isFinite(learningRate), "learningRate must be a positive number, got " + learningRate);
        require(keepProb > 0 && keepProb <= 1, "keepProb must be in (0, 1], got " + keepProb);
        require(logEvery >= 1, "logEvery must be at least 1, got " + logEvery);
        require(checkpointEvery >= 0, "checkpointEvery must be 0 (at the end only) or positive, got " + checkpointEvery);
    }

    public Hyperparameters withSteps(int newSteps) {
        return new Hyperparameters(model, newSteps, batchSize, optimizer, learningRate, keepProb, logEvery, checkpointEvery, seed);
    }

    public Hyperparameters withSeed(long newSeed) {
        return new Hyperparameters(model, steps, batchSize, optimizer, learningRate, keepProb, logEvery, checkpointEvery, newSeed);
    }

    public Hyperparameters withCheckpointEvery(int every) {
        return new Hyperparameters(model, steps, batchSize, optimizer, learningRate, keepProb, logEvery, every, seed);
    }

    public Hyperparameters withLogEvery(int every) {
        return new Hyperparameters(model, steps, batchSize, optimizer, learningRate, keepProb, every, checkpointEvery, seed);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
