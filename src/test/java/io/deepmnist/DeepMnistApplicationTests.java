package io.deepmnist;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.dataset.DatasetProvider;
import io.deepmnist.dataset.RealMnist;
import io.deepmnist.engine.EngineSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest
class DeepMnistApplicationTests {

    @DynamicPropertySource
    static void home(DynamicPropertyRegistry registry) {
        registry.add("mnist.home", () -> RealMnist.directory().getParent().toString());
        registry.add("mnist.engine.intra-op-threads", () -> "3");
    }

    @Autowired
    DatasetProvider datasetProvider;

    @Autowired
    EngineSettings engineSettings;

    @Test
    void theDatasetAndEngineAreConfiguredFromMnistProperties() {
        assertThat(datasetProvider.directory()).isEqualTo(RealMnist.directory());
        assertThat(datasetProvider.get().test().size()).isEqualTo(10_000);
        assertThat(engineSettings).isEqualTo(new EngineSettings(3, 1));
    }
}
