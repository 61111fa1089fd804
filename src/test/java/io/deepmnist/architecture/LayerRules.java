package io.deepmnist.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The layers of docs/architecture.md as rules, for the classes under a root package: every import points down,
 * no package cycle, no web type below {@code web}, no Spring in {@code engine} and {@code dataset}; and {@code web} by
 * feature: {@code web.http} at its bottom, each feature on its own, {@code web.openapi} on top.
 */
final class LayerRules {

    private LayerRules() {
    }

    /** The classes generated from the Open Inference Protocol's proto file: {@code bench} drives gRPC with them too. */
    static final String GRPC_STUBS = ".web.protocol.oip.grpc.v2..";

    /** The feature packages of {@code web}: each depends on {@code web.http} and on nothing else in {@code web}. */
    static final List<String> WEB_FEATURES = List.of("jobs", "predict", "protocol", "warmup");

    static List<ArchRule> under(String root) {
        List<ArchRule> rules = new ArrayList<>(List.of(layers(root), noCycles(root), noWebTypesBelowWeb(root), plainJava(root),
                configAtTheBottom(root), webByFeature(root), webHttpAtTheBottom(root), openApiOnTop(root)));
        for (String feature : WEB_FEATURES) {
            rules.add(webFeatureAlone(root, feature));
        }
        return rules;
    }

    static ArchRule webByFeature(String root) {
        return noClasses().should().resideInAPackage(root + ".web")
                .as("every web class is in a feature package (web.jobs, web.predict, ...) or in web.http");
    }

    static ArchRule webHttpAtTheBottom(String root) {
        return noClasses().that().resideInAPackage(root + ".web.http..")
                .should().dependOnClassesThat().resideInAnyPackage(Stream.concat(WEB_FEATURES.stream(), Stream.of("openapi"))
                        .map(f -> root + ".web." + f + "..").toArray(String[]::new))
                .as("web.http (filters, the API key, problem details) depends on no web feature");
    }

    static ArchRule webFeatureAlone(String root, String feature) {
        return noClasses().that().resideInAPackage(root + ".web." + feature + "..")
                .should().dependOnClassesThat().resideInAnyPackage(Stream.concat(
                                WEB_FEATURES.stream().filter(other -> !other.equals(feature)), Stream.of("openapi"))
                        .map(f -> root + ".web." + f + "..").toArray(String[]::new))
                .as("web." + feature + " depends on no other web feature");
    }

    static ArchRule openApiOnTop(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".web.openapi..")
                .should().dependOnClassesThat().resideInAPackage(root + ".web.openapi..")
                .as("only web.openapi itself uses web.openapi");
    }

    static ArchRule layers(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Application").definedBy(root)
                .layer("Commands").definedBy(root + ".bench..", root + ".tutorial..")
                .layer("Web").definedBy(resideInAPackage(root + ".web..").and(not(resideInAPackage(root + GRPC_STUBS))))
                .layer("Protocol stubs").definedBy(root + GRPC_STUBS)
                .layer("Ops").definedBy(root + ".ops..")
                .layer("Inference").definedBy(root + ".inference..")
                .layer("Jobs").definedBy(root + ".jobs..")
                .layer("Store").definedBy(root + ".store..")
                .layer("Artifacts").definedBy(root + ".artifacts..")
                .layer("Engine").definedBy(root + ".engine..")
                .layer("Dataset").definedBy(root + ".dataset..")
                .layer("Config").definedBy(root + ".config..")
                .whereLayer("Application").mayNotBeAccessedByAnyLayer()
                .whereLayer("Commands").mayOnlyBeAccessedByLayers("Application")
                .whereLayer("Web").mayNotBeAccessedByAnyLayer()
                .whereLayer("Protocol stubs").mayOnlyBeAccessedByLayers("Commands", "Web")
                .whereLayer("Ops").mayNotBeAccessedByAnyLayer()
                .whereLayer("Inference").mayOnlyBeAccessedByLayers("Web", "Ops")
                .whereLayer("Jobs").mayOnlyBeAccessedByLayers("Web", "Ops")
                .whereLayer("Store").mayOnlyBeAccessedByLayers("Web", "Ops", "Inference", "Jobs")
                .whereLayer("Artifacts").mayOnlyBeAccessedByLayers("Commands", "Web", "Ops", "Inference", "Jobs")
                .whereLayer("Engine").mayOnlyBeAccessedByLayers("Commands", "Web", "Ops", "Inference", "Jobs", "Artifacts")
                .whereLayer("Dataset").mayOnlyBeAccessedByLayers("Commands", "Web", "Ops", "Inference", "Jobs", "Engine")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("Web", "Ops", "Inference", "Jobs", "Artifacts")
                .as("each layer imports only the layers below it");
    }

    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles().as("no package cycle");
    }

    static ArchRule noWebTypesBelowWeb(String root) {
        return noClasses().that().resideOutsideOfPackages(root + ".web..", root + ".ops..", root)
                .and().resideInAPackage(root + "..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework.web..", "org.springframework.http..", "jakarta.servlet..")
                .as("nothing below web uses an HTTP type");
    }

    static ArchRule plainJava(String root) {
        return noClasses().that().resideInAnyPackage(root + ".engine..", root + ".dataset..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .as("engine and dataset are plain Java, without Spring");
    }

    static ArchRule configAtTheBottom(String root) {
        return noClasses().that().resideInAPackage(root + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".bench..", root + ".tutorial..",
                        root + ".web..", root + ".ops..", root + ".inference..", root + ".jobs..", root + ".store..", root + ".artifacts..", root + ".engine..",
                        root + ".dataset..")
                .as("config imports none of the other layers");
    }
}
