package io.deepmnist.inference;

/** Area-average resampling: each target pixel is the mean of the source area it covers. */
final class Resampler {

    private Resampler() {
    }

    /**
     * Resamples the {@code cw x ch} region at ({@code left}, {@code top}) of a {@code width}-wide image to
     * {@code tw x th}, multiplying each value by {@code gain}.
     */
    static float[] areaAverage(float[] src, int width, int left, int top, int cw, int ch, int tw, int th, float gain) {
        float[] out = new float[tw * th];
        double sx = (double) cw / tw;
        double sy = (double) ch / th;
        for (int ty = 0; ty < th; ty++) {
            double y0 = ty * sy;
            double y1 = y0 + sy;
            for (int tx = 0; tx < tw; tx++) {
                double x0 = tx * sx;
                double x1 = x0 + sx;
                double sum = 0;
                for (int y = (int) y0; y < Math.min(ch, (int) Math.ceil(y1)); y++) {
                    double wy = Math.min(y1, y + 1) - Math.max(y0, y);
                    for (int x = (int) x0; x < Math.min(cw, (int) Math.ceil(x1)); x++) {
                        double wx = Math.min(x1, x + 1) - Math.max(x0, x);
                        sum += wx * wy * src[(top + y) * width + left + x];
                    }
                }
                out[ty * tw + tx] = (float) (sum / (sx * sy) * gain);
            }
        }
        return out;
    }
}
