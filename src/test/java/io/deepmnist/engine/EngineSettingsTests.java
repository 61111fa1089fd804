package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;

class EngineSettingsTests {

    @Test
    void predictionSessionsRunTheirOpsInTheCallersThreadAndKeepTheRest() {
        ConfigProto config = new EngineSettings(2, 1, Precision.BF16).inCallersThread().toConfigProto();
        assertThat(config.getInterOpParallelismThreads()).isEqualTo(-1);
        assertThat(config.getIntraOpParallelismThreads()).isEqualTo(2);
        assertThat(config.getAllowSoftPlacement()).isTrue();
        assertThat(config.getGraphOptions().hasRewriteOptions()).as("bf16 kept").isTrue();
    }

    @Test
    void trainingSessionsUseTheConfiguredThreadsAndNegativeIntraOpCountsAreRefused() {
        assertThat(new EngineSettings(3, 1).toConfigProto().getInterOpParallelismThreads()).isEqualTo(1);
        assertThatThrownBy(() -> new EngineSettings(-1, 1)).hasMessageContaining("intra-op threads must be 0");
    }

    @Test
    void autoMustBeResolvedForADeviceBeforeASessionIsBuilt() {
        assertThatThrownBy(() -> new EngineSettings(2, 1, Precision.AUTO).toConfigProto())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("resolve the precision");
    }
}
