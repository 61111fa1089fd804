package io.deepmnist.inference;

/**
 * A model's accuracy on the predictions users labelled, with the Wilson score interval at 95 %: unlike the normal
 * approximation it stays inside [0, 1] and means something for a handful of labels.
 *
 * @param interval95 lower and upper bound; [0, 1] without labels
 */
public record FeedbackAccuracy(String modelId, long labelled, long correct, Double accuracy, double[] interval95) {

    private static final double Z95 = 1.959963984540054;

    static FeedbackAccuracy of(String modelId, long labelled, long correct) {
        if (labelled == 0) {
            return new FeedbackAccuracy(modelId, 0, 0, null, new double[] {0, 1});
        }
        return new FeedbackAccuracy(modelId, labelled, correct, (double) correct / labelled, wilson(correct, labelled));
    }

    static double[] wilson(long successes, long n) {
        double p = (double) successes / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
