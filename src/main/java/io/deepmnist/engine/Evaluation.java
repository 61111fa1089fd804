package io.deepmnist.engine;

/** Accuracy on a whole held-out split ({@code validation} or {@code test}) after {@code step} steps. */
public record Evaluation(int step, String split, double accuracy) {
}
