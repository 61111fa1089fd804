package io.deepmnist.inference;

/** The answer for one image. */
public record Prediction(int digit, float confidence, float[] probabilities) {

    static Prediction of(float[] all, int offset) {
        float[] p = new float[10];
        System.arraycopy(all, offset, p, 0, 10);
        int best = 0;
        for (int i = 1; i < 10; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return new Prediction(best, p[best], p);
    }
}
