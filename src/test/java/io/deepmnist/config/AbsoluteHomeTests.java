package io.deepmnist.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.TestHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

class AbsoluteHomeTests {

    @Test
    void aHomeRelativeToTheWorkingDirectoryHoldsTheJobStore() throws IOException {
        Path home = TestHome.create();
        // H2 refuses a relative database path unless it holds "./", so the path is "target/<link>", under the build
        // output, as MNIST_HOME=data would be. The link points at a fresh home in the temporary directory.
        Path relative = Path.of("target", "relative-home-" + home.getFileName());
        Files.createSymbolicLink(relative, home);
        try (ConfigurableApplicationContext context = TestHome.start(relative)) {
            Path absolute = relative.toAbsolutePath().normalize();
            assertThat(context.getEnvironment().getProperty("mnist.home")).isEqualTo(absolute.toString());
            assertThat(context.getBean(MnistProperties.class).home()).isEqualTo(absolute);
            assertThat(TestHome.api(context).get("/jobs").status()).isEqualTo(200);
        } finally {
            Files.delete(relative);
        }
        assertThat(home.resolve("db")).isDirectory();
    }
}
