package io.deepmnist.engine;

/**
 * A progress report, made every {@code logEvery} steps before that step trains, as the tutorial logs it.
 *
 * @param step               steps completed so far
 * @param trainingAccuracy   accuracy on the batch about to be trained on, dropout off
 * @param examplesPerSecond  throughput since the previous report
 * @param etaSeconds         time left at that throughput
 */
public record Progress(int step, int totalSteps, float trainingAccuracy, float loss, double examplesPerSecond, double etaSeconds) {
}
