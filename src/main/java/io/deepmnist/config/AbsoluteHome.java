package io.deepmnist.config;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code mnist.home} absolute, from the working directory, before anything reads it. The H2 job store's URL
 * is built from it, and H2 refuses a path such as {@code data/db/mnist} that is relative without {@code ./}: the
 * service would not start with {@code MNIST_HOME=data}.
 */
class AbsoluteHome implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "mnist.home";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String home = environment.getProperty(PROPERTY);
        if (home == null || home.isBlank()) {
            return;
        }
        String absolute = Path.of(home).toAbsolutePath().normalize().toString();
        if (!absolute.equals(home)) {
            environment.getPropertySources().addFirst(new MapPropertySource("absoluteMnistHome", Map.of(PROPERTY, absolute)));
        }
    }

    /** After the configuration files are read. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
