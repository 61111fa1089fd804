package io.deepmnist;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.dataset.DatasetProvider;
import io.deepmnist.dataset.RealMnist;
import io.deepmnist.engine.EngineSettings;
import io.deepmnist.engine.Precision;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest
class DeepMnistApplicationTests {

    private static Path home;

    @DynamicPropertySource
    static void home(DynamicPropertyRegistry registry) {
        // A home of its own: the job store's H2 file must not land in the working tree's data/.
        home = TestHome.register(registry);
        registry.add("mnist.engine.intra-op-threads", () -> "3");
    }

    @Autowired
    DatasetProvider datasetProvider;

    @Autowired
    EngineSettings engineSettings;

    @Test
    void theDatasetAndEngineAreConfiguredFromMnistProperties() throws IOException {
        assertThat(datasetProvider.directory()).isEqualTo(home.resolve("mnist"));
        assertThat(datasetProvider.directory().toRealPath()).isEqualTo(RealMnist.directory().toRealPath());
        assertThat(datasetProvider.get().test().size()).isEqualTo(10_000);
        assertThat(engineSettings).isEqualTo(new EngineSettings(3, 1, Precision.AUTO));
    }
}
