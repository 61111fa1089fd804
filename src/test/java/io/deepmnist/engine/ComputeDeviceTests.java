package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ComputeDeviceTests {

    @Test
    void devicesAreNamedAsTensorFlowNamesThem() {
        assertThat(ComputeDevice.parse("GPU:1")).isEqualTo(new ComputeDevice("/device:GPU:1", "GPU", 1, 0));
        assertThat(ComputeDevice.parse(" cpu:0 ")).isEqualTo(new ComputeDevice("/device:CPU:0", "CPU", 0, 0));
        assertThat(ComputeDevice.parse("/device:GPU:0").isGpu()).isTrue();
    }

    @Test
    void anythingElseIsRefusedWithTheAcceptedForm() {
        for (String bad : new String[] {"TPU:0", "GPU", "GPU:-1", "GPU:x", "", "/job:localhost/device:GPU:0"}) {
            assertThatIllegalArgumentException().isThrownBy(() -> ComputeDevice.parse(bad))
                    .withMessageContaining("name devices as CPU:N or GPU:N");
        }
    }
}
