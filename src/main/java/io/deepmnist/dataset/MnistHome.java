package io.deepmnist.dataset;

import java.nio.file.Path;

/** Where everything lives: {@code MNIST_HOME}, else a given default; the IDX files sit in its {@code mnist/}. */
public final class MnistHome {

    public static final String ENVIRONMENT_VARIABLE = "MNIST_HOME";
    public static final String DEFAULT = "./data";

    private MnistHome() {
    }

    public static Path resolve(String fallback) {
        String env = System.getenv(ENVIRONMENT_VARIABLE);
        return Path.of(env != null && !env.isBlank() ? env : fallback).toAbsolutePath().normalize();
    }

    public static Path datasetDir(Path home) {
        return home.resolve("mnist");
    }
}
