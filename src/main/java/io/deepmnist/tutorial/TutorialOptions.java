package io.deepmnist.tutorial;

import io.deepmnist.dataset.MnistHome;
import io.deepmnist.engine.Hyperparameters;
import io.deepmnist.engine.ModelKind;
import io.deepmnist.engine.Precision;
import java.nio.file.Path;
import java.util.List;

/**
 * The parsed arguments of {@code tutorial}.
 *
 * @param precision fp32 (the tutorial's own, the default) or bf16
 */
record TutorialOptions(Hyperparameters hyperparameters, Precision precision, Path home) {

    static TutorialOptions parse(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("name a model: softmax or cnn");
        }
        Hyperparameters hp = ModelKind.fromId(args.get(0)).defaults();
        String home = MnistHome.DEFAULT;
        boolean homeGiven = false;
        Precision precision = Precision.FP32;
        for (String arg : args.subList(1, args.size())) {
            if (arg.startsWith("--steps=")) {
                hp = hp.withSteps(parseInt(arg, "--steps=", 1));
            } else if (arg.startsWith("--seed=")) {
                hp = hp.withSeed(parseLong(arg, "--seed="));
            } else if (arg.startsWith("--precision=")) {
                precision = parsePrecision(arg.substring("--precision=".length()));
            } else if (arg.startsWith("--home=")) {
                home = arg.substring("--home=".length());
                homeGiven = true;
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new TutorialOptions(hp, precision, homeGiven ? Path.of(home).toAbsolutePath().normalize() : MnistHome.resolve(home));
    }

    private static Precision parsePrecision(String value) {
        if (value.equals(Precision.FP32.id()) || value.equals(Precision.BF16.id())) {
            return Precision.fromId(value);
        }
        throw new IllegalArgumentException("--precision must be fp32 or bf16, got '" + value + "'");
    }

    private static int parseInt(String arg, String prefix, int min) {
        try {
            int value = Integer.parseInt(arg.substring(prefix.length()));
            if (value < min) {
                throw new IllegalArgumentException(prefix + " must be at least " + min + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(prefix + " needs a whole number, got '" + arg.substring(prefix.length()) + "'");
        }
    }

    private static long parseLong(String arg, String prefix) {
        try {
            return Long.parseLong(arg.substring(prefix.length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(prefix + " needs a whole number, got '" + arg.substring(prefix.length()) + "'");
        }
    }
}
