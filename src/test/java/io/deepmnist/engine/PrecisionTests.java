package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.RewriterConfig;

class PrecisionTests {

    private static final ComputeDevice GPU = ComputeDevice.parse("GPU:0");
    private static final CpuFeatures AVX2 = CpuFeatures.of("avx", "avx2", "fma");
    private static final CpuFeatures AVX512 = CpuFeatures.of("avx2", "avx512f", "avx512bw");
    private static final CpuFeatures SAPPHIRE_RAPIDS = CpuFeatures.of("avx2", "avx512f", "avx512_bf16", "amx_bf16");
    private static final CpuFeatures ZEN4 = CpuFeatures.of("avx2", "avx512f", "avx512_bf16");

    @Test
    void autoIsBf16OnlyWhereTheCpuHasItInHardwareAndNeverOnAGpu() {
        assertThat(Precision.AUTO.resolve(ComputeDevice.CPU, SAPPHIRE_RAPIDS).precision()).isEqualTo(Precision.BF16);
        assertThat(Precision.AUTO.resolve(ComputeDevice.CPU, ZEN4).precision()).isEqualTo(Precision.BF16);
        assertThat(Precision.AUTO.resolve(ComputeDevice.CPU, AVX512).precision()).isEqualTo(Precision.FP32);
        assertThat(Precision.AUTO.resolve(ComputeDevice.CPU, AVX2).precision()).isEqualTo(Precision.FP32);
        assertThat(Precision.AUTO.resolve(GPU, SAPPHIRE_RAPIDS).precision()).isEqualTo(Precision.FP32);
    }

    @Test
    void bf16AskedForIsBf16WhereTensorFlowCanApplyItAndSaysWhyNotElsewhere() {
        assertThat(Precision.BF16.resolve(ComputeDevice.CPU, ZEN4)).isEqualTo(new Precision.Choice(Precision.BF16, "bf16 as asked"));
        assertThat(Precision.BF16.resolve(ComputeDevice.CPU, AVX512).precision()).isEqualTo(Precision.BF16);
        assertThat(Precision.BF16.resolve(ComputeDevice.CPU, AVX512).reason()).contains("emulated");
        Precision.Choice avx2 = Precision.BF16.resolve(ComputeDevice.CPU, AVX2);
        assertThat(avx2.precision()).isEqualTo(Precision.FP32);
        assertThat(avx2.reason()).contains("bf16 was asked for").contains("no AVX-512 or AMX");
        assertThat(Precision.BF16.resolve(GPU, ZEN4).precision()).isEqualTo(Precision.FP32);
        assertThat(Precision.FP32.resolve(ComputeDevice.CPU, ZEN4).precision()).isEqualTo(Precision.FP32);
    }

    @Test
    void bf16TurnsOnOneDnnAutoMixedPrecisionInTheSessionConfigAndFp32LeavesItOff() {
        EngineSettings settings = new EngineSettings(2, 1);
        assertThat(settings.withPrecision(Precision.BF16).toConfigProto().getGraphOptions().getRewriteOptions()
                .getAutoMixedPrecisionOnednnBfloat16()).isEqualTo(RewriterConfig.Toggle.ON);
        assertThat(settings.toConfigProto().hasGraphOptions()).isFalse();
        assertThat(settings.withPrecision(Precision.BF16).toConfigProto().getIntraOpParallelismThreads()).isEqualTo(2);
    }

    @Test
    void idsAreParsedIgnoringCaseAndUnknownOnesListTheChoices() {
        assertThat(Precision.fromId("BF16")).isEqualTo(Precision.BF16);
        assertThatThrownBy(() -> Precision.fromId("fp16"))
                .hasMessage("unknown precision 'fp16'; expected one of auto, fp32, bf16");
        assertThat(Precision.fromSetting("mnist.engine.precision", " Auto ")).isEqualTo(Precision.AUTO);
        assertThatThrownBy(() -> Precision.fromSetting("mnist.engine.precision", "half"))
                .hasMessage("mnist.engine.precision: unknown precision 'half'; expected one of auto, fp32, bf16");
    }

    @Test
    void cpuFlagsAreReadFromCpuinfo(@TempDir Path tmp) throws IOException {
        Path cpuinfo = tmp.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse2 avx2 AVX512F avx512_bf16\n\n"
                + "processor\t: 1\nflags\t\t: fpu\n");
        assertThat(CpuFeatures.read(cpuinfo).flags()).containsExactlyInAnyOrder("fpu", "sse2", "avx2", "avx512f", "avx512_bf16");
        assertThat(CpuFeatures.read(cpuinfo).hasNativeBf16()).isTrue();
        assertThat(CpuFeatures.read(tmp.resolve("absent")).flags()).isEmpty();
    }
}
