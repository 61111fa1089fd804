package io.deepmnist.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The arithmetic a session's kernels use. {@link #BF16} is oneDNN's bfloat16 auto mixed precision: Grappler
 * rewrites the convolutions and matrix products to bf16 while weights and optimizer slots stay FP32.
 */
public enum Precision {
    /** bf16 where the CPU has it in hardware, FP32 elsewhere (and always on a GPU). */
    AUTO("auto"),
    FP32("fp32"),
    BF16("bf16");

    private final String id;

    Precision(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static Precision fromId(String id) {
        return NamedKinds.fromId(Precision.class, Precision::id, "precision", id);
    }

    /** A configured value; an unknown one stops start-up with a message that names the setting and the choices. */
    public static Precision fromSetting(String property, String value) {
        try {
            return fromId(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + ": " + e.getMessage(), e);
        }
    }

    /** What this request means on {@code device} of this machine: FP32 or BF16, and why. */
    public Choice resolve(ComputeDevice device) {
        return resolve(device, CpuFeatures.current());
    }

    /** What this request means on {@code device} of a machine with {@code cpu}: FP32 or BF16, and why. */
    public Choice resolve(ComputeDevice device, CpuFeatures cpu) {
        return switch (this) {
            case FP32 -> new Choice(FP32, "fp32 as asked");
            case AUTO -> device.isGpu()
                    ? new Choice(FP32, "fp32 (auto: bf16 is only chosen for CPUs)")
                    : cpu.hasNativeBf16()
                            ? new Choice(BF16, "bf16 (auto: this CPU has AVX512_BF16 or AMX)")
                            : new Choice(FP32, "fp32 (auto: this CPU has no AVX512_BF16 or AMX)");
            case BF16 -> device.isGpu()
                    ? new Choice(FP32, "fp32: bf16 was asked for, but the bf16 rewrite is oneDNN's, for CPUs only")
                    : cpu.canRunBf16()
                            ? new Choice(BF16, cpu.hasNativeBf16() ? "bf16 as asked"
                                    : "bf16 as asked (emulated on AVX-512: this CPU has no AVX512_BF16 or AMX)")
                            : new Choice(FP32, "fp32: bf16 was asked for, but this CPU has no AVX-512 or AMX, "
                                    + "where TensorFlow's bf16 rewrite does not apply");
        };
    }

    /**
     * @param precision FP32 or BF16, what the session really runs
     * @param reason    a phrase for events and logs that says how it was chosen
     */
    public record Choice(Precision precision, String reason) {
    }
}
