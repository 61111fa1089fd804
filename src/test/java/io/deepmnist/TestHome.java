package io.deepmnist;

import io.deepmnist.dataset.RealMnist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh {@code mnist.home} whose {@code mnist/} is the real dataset, linked rather than copied. */
public final class TestHome {

    private TestHome() {
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
