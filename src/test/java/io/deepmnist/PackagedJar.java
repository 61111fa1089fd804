package io.deepmnist;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Starts the packaged jar as child processes ({@link JarProcess}): the build packages it before the tests run, and
 * these classes run in Surefire's pool beside the others, so their child processes' start-ups overlap other tests.
 * The quick tier neither packages the jar nor runs them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(PackagedJar.TAG)
public @interface PackagedJar {
    String TAG = "packaged-jar";
}
