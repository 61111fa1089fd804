package io.deepmnist;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/** Drives a program that Maven Central does not package (Chromium, promtool), which scripts/test installs. The quick tier leaves it out. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(ExternalTool.TAG)
public @interface ExternalTool {
    String TAG = "external-tool";
}
