package io.deepmnist.tutorial;

import io.deepmnist.dataset.MnistHome;
import io.deepmnist.engine.Hyperparameters;
import io.deepmnist.engine.ModelKind;
import java.nio.file.Path;
import java.util.List;

/** The parsed arguments of {@code tutorial}. */
record TutorialOptions(Hyperparameters hyperparameters, Path home) {

    static TutorialOptions parse(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("name a model: softmax or cnn");
        }
        Hyperparameters hp = ModelKind.fromId(args.get(0)).defaults();
        String home = MnistHome.DEFAULT;
        boolean homeGiven = false;
        for (String arg : args.subList(1, args.size())) {
            if (arg.startsWith("--steps=")) {
                hp = hp.withSteps(parseInt(arg, "--steps=", 1));
            } else if (arg.startsWith("--seed=")) {
                hp = hp.withSeed(parseLong(arg, "--seed="));
            } else if (arg.startsWith("--home=")) {
                home = arg.substring("--home=".length());
                homeGiven = true;
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new TutorialOptions(hp, homeGiven ? Path.of(home).toAbsolutePath().normalize() : MnistHome.resolve(home));
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
