package io.deepmnist;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * One home for the full-stack tests that need nothing but the defaults: every class annotated {@link Service} gets
 * the same context, which Spring's test context cache starts once for all of them. Tests that share it must not
 * depend on what the others leave behind (jobs, models).
 */
public final class SharedHome implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final Path HOME = TestHome.create();

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("mnist.home=" + HOME).applyTo(context);
    }

    /** The whole service on a random port, on the shared home. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    @ContextConfiguration(initializers = SharedHome.class)
    public @interface Service {
    }
}
