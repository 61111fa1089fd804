package io.deepmnist;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/** Puts the service under load (connection floods, thousands of generated requests). The quick tier leaves it out. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Load.TAG)
public @interface Load {
    String TAG = "load";
}
