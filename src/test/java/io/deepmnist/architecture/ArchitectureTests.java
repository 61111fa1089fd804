package io.deepmnist.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The service's own classes follow {@link LayerRules}; and each import that once broke them, rebuilt in a small
 * fixture package ({@code fixtures.arch.*}, test sources only), is caught, so the rules cannot pass vacuously.
 */
class ArchitectureTests {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.deepmnist");

    @Test
    void theServiceFollowsEveryRule() {
        assertThat(SERVICE).hasSizeGreaterThan(100);
        for (ArchRule rule : LayerRules.under("io.deepmnist")) {
            rule.check(SERVICE);
        }
    }

    static Stream<Arguments> badImports() {
        return Stream.of(
                Arguments.of("fixtures.arch.inferencejobs", "Inference imports Jobs (ModelRegistry -> JobFiles)"),
                Arguments.of("fixtures.arch.configdataset", "config imports a layer above it (MnistProperties -> HttpMirrorSource)"),
                Arguments.of("fixtures.arch.configjobs", "properties at the bottom import jobs (system -> TrainingDevices)"),
                Arguments.of("fixtures.arch.benchapp", "a command imports the application class that imports it"),
                Arguments.of("fixtures.arch.jobshttp", "jobs uses an HTTP status type"),
                Arguments.of("fixtures.arch.enginespring", "engine uses Spring"),
                Arguments.of("fixtures.arch.webhttp", "web.http imports a feature (ProblemWriter -> web.jobs.JobView)"),
                Arguments.of("fixtures.arch.webfeatures", "one web feature imports another (web.jobs -> web.predict)"),
                Arguments.of("fixtures.arch.webflat", "a class directly in web, in no feature package"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badImports")
    void aBadImportBreaksARule(String root, String what) {
        JavaClasses fixture = new ClassFileImporter().importPackages(root);
        assertThat(fixture).as("fixture classes of " + root).isNotEmpty();

        long violations = LayerRules.under(root).stream()
                .map(rule -> rule.allowEmptyShould(true).evaluate(fixture))
                .filter(EvaluationResult::hasViolation)
                .count();

        assertThat(violations).as(what).isPositive();
    }
}
