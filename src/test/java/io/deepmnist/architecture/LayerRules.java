package io.deepmnist.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The layers of docs/architecture.md as rules, for the classes under a root package: every import points down,
 * no package cycle, no web type below {@code web}, no Spring in {@code engine} and {@code dataset}.
 */
final class LayerRules {

    private LayerRules() {
    }

    static List<ArchRule> under(String root) {
        return List.of(layers(root), noCycles(root), noWebTypesBelowWeb(root), plainJava(root), configAtTheBottom(root));
    }

    static ArchRule layers(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Application").definedBy(root)
                .layer("Commands").definedBy(root + ".bench..", root + ".tutorial..")
                .layer("Web").definedBy(root + ".web..")
                .layer("Ops").definedBy(root + ".ops..")
                .layer("Inference").definedBy(root + ".inference..")
                .layer("Jobs").definedBy(root + ".jobs..")
                .layer("Store").definedBy(root + ".store..")
                .layer("Engine").definedBy(root + ".engine..")
                .layer("Dataset").definedBy(root + ".dataset..")
                .layer("Config").definedBy(root + ".config..")
                .whereLayer("Application").mayNotBeAccessedByAnyLayer()
                .whereLayer("Commands").mayOnlyBeAccessedByLayers("Application")
                .whereLayer("Web").mayNotBeAccessedByAnyLayer()
                .whereLayer("Ops").mayNotBeAccessedByAnyLayer()
                .whereLayer("Inference").mayOnlyBeAccessedByLayers("Web", "Ops")
                .whereLayer("Jobs").mayOnlyBeAccessedByLayers("Web", "Ops")
                .whereLayer("Store").mayOnlyBeAccessedByLayers("Web", "Ops", "Inference", "Jobs")
                .whereLayer("Engine").mayOnlyBeAccessedByLayers("Commands", "Web", "Ops", "Inference", "Jobs")
                .whereLayer("Dataset").mayOnlyBeAccessedByLayers("Commands", "Web", "Ops", "Inference", "Jobs", "Engine")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("Web", "Ops", "Inference", "Jobs")
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
                        root + ".web..", root + ".ops..", root + ".inference..", root + ".jobs..", root + ".store..", root + ".engine..",
                        root + ".dataset..")
                .as("config imports none of the other layers");
    }
}
