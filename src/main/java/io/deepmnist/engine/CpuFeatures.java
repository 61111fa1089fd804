package io.deepmnist.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CPU's instruction-set flags, as Linux lists them in {@code /proc/cpuinfo}; empty where that file is absent.
 *
 * @param flags lower-case flag names such as {@code avx2} or {@code avx512_bf16}
 */
public record CpuFeatures(Set<String> flags) {

    private static final CpuFeatures CURRENT = read(Path.of("/proc/cpuinfo"));

    public CpuFeatures {
        flags = Set.copyOf(flags);
    }

    public static CpuFeatures current() {
        return CURRENT;
    }

    public static CpuFeatures of(String... flags) {
        return new CpuFeatures(Set.of(flags));
    }

    /** bfloat16 arithmetic in hardware (AVX512_BF16 or AMX), where oneDNN's bf16 kernels beat FP32. */
    public boolean hasNativeBf16() {
        return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    }

    /**
     * Whether TensorFlow's oneDNN bf16 rewrite applies at all: it needs AVX-512 (where bf16 is emulated and slower
     * than FP32) or native bf16. Without either, Grappler leaves the graph in FP32.
     */
    public boolean canRunBf16() {
        return hasNativeBf16() || flags.contains("avx512f") || flags.contains("avx_ne_convert");
    }

    static CpuFeatures read(Path cpuinfo) {
        try {
            return new CpuFeatures(Files.readAllLines(cpuinfo).stream()
                    .filter(line -> line.startsWith("flags"))
                    .findFirst()
                    .map(line -> Arrays.stream(line.substring(line.indexOf(':') + 1).strip().split("\\s+"))
                            .map(f -> f.toLowerCase(Locale.ROOT))
                            .collect(Collectors.toSet()))
                    .orElse(Set.of()));
        } catch (IOException | RuntimeException e) {
            return new CpuFeatures(Set.of());
        }
    }
}
