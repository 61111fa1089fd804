package io.deepmnist;

import io.deepmnist.dataset.RealMnist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A fresh {@code mnist.home} whose {@code mnist/} is the real dataset, linked rather than copied. */
public final class TestHome {

    private TestHome() {
    }

    /** A fresh home, set as {@code mnist.home} of the test's application context. */
    public static Path register(DynamicPropertyRegistry registry) {
        Path home = create();
        registry.add("mnist.home", home::toString);
        return home;
    }

    /** Starts the whole application on a random port with {@code home}, as a fresh process would. */
    public static ConfigurableApplicationContext start(Path home) {
        return SpringApplication.run(DeepMnistApplication.class, "--server.port=0", "--management.server.port=0",
                "--mnist.home=" + home);
    }

    public static ApiClient api(ConfigurableApplicationContext context) {
        return new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    /** The API, sending {@code key} as X-API-Key with every request. */
    public static ApiClient api(ConfigurableApplicationContext context, String key) {
        return ApiClient.withHeader(((WebServerApplicationContext) context).getWebServer().getPort(), "X-API-Key", key);
    }

    /** Actuator, on its own port. */
    public static ApiClient management(ConfigurableApplicationContext context) {
        return new ApiClient(context.getEnvironment().getRequiredProperty("local.management.port", Integer.class));
    }

    /** Actuator, sending {@code key} as X-API-Key with every request. */
    public static ApiClient management(ConfigurableApplicationContext context, String key) {
        return ApiClient.withHeader(context.getEnvironment().getRequiredProperty("local.management.port", Integer.class),
                "X-API-Key", key);
    }

    public static Path create() {
        try {
            Path home = Files.createTempDirectory("mnist-home");
            Files.createSymbolicLink(home.resolve("mnist"), RealMnist.directory());
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
