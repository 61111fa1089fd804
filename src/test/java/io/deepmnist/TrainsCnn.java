package io.deepmnist;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Trains a CNN for more than a few dozen steps, runs jobs that do, or needs the prediction tests' shared trained CNN
 * ({@code inference.TrainedModels}, trained once per build): the bulk of the full suite's time. The quick tier
 * leaves it out.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(TrainsCnn.TAG)
public @interface TrainsCnn {
    String TAG = "trains-cnn";
}
