package io.deepmnist.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.bytedeco.javacpp.Pointer;
import org.springframework.stereotype.Component;

/** Native memory that JavaCPP (under TensorFlow Java) tracks, and the process's resident size. */
@Component
class NativeMemoryMetrics implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("deepmnist.native.memory.tracked", Pointer::totalBytes).baseUnit("bytes")
                .description("Native memory allocated through JavaCPP, such as TensorFlow tensors").register(registry);
        Gauge.builder("deepmnist.process.memory.physical", Pointer::physicalBytes).baseUnit("bytes")
                .description("Resident set size of the whole process").register(registry);
    }
}
