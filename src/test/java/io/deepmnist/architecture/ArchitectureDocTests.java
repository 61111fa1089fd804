package io.deepmnist.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md stays true to the code: every class it names in backticks, such as {@code ModelRegistry},
 * {@code web.jobs.JobController.submit} or {@code SharedHome.Service}, exists, in the package it says.
 */
class ArchitectureDocTests {

    private static final JavaClasses CODE = new ClassFileImporter().importPackages("io.deepmnist");
    /** A class name in backticks: optional lower-case package segments, the class, optionally a member or a call. */
    private static final Pattern NAME = Pattern.compile("`((?:[a-z][a-z0-9]*\\.)*)([A-Z][A-Za-z0-9]*)(?:\\.\\w+)?(?:\\([^`]*\\))?`");
    /** What the document names from the libraries it builds on. */
    private static final Map<String, String> LIBRARIES = Map.of(
            "JdbcAggregateTemplate", "org.springframework.data.jdbc.core.JdbcAggregateTemplate",
            "Session", "org.tensorflow.Session");

    @Test
    void everyClassTheArchitectureDocumentNamesExists() throws IOException {
        String doc = Files.readString(Path.of("docs", "architecture.md"));
        List<String> missing = missing(doc);
        assertThat(names(doc)).as("class names found in the document").hasSizeGreaterThan(50);
        assertThat(missing).as("names in docs/architecture.md with no class behind them").isEmpty();
    }

    @Test
    void aNameWithNoClassBehindItIsCaught() {
        assertThat(missing("`ModelRegistry` and `inference.NoSuchRegistry`, `web.jobs.ModelRegistry`, `OUT_OF_SERVICE`"))
                .containsExactly("inference.NoSuchRegistry", "web.jobs.ModelRegistry");
    }

    private static TreeSet<String> names(String doc) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(doc);
        while (m.find()) {
            names.add(m.group(1) + m.group(2));
        }
        return names;
    }

    private static List<String> missing(String doc) {
        return names(doc).stream().filter(name -> !exists(name)).toList();
    }

    private static boolean exists(String qualified) {
        int dot = qualified.lastIndexOf('.');
        String simple = qualified.substring(dot + 1);
        String packageSuffix = dot < 0 ? "" : "." + qualified.substring(0, dot);
        if (simple.matches("[A-Z0-9_]+")) {
            return true; // a constant or a state, not a class
        }
        if (LIBRARIES.containsKey(simple) && packageSuffix.isEmpty()) {
            try {
                Class.forName(LIBRARIES.get(simple), false, ArchitectureDocTests.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException e) {
                return false;
            }
        }
        for (JavaClass c : CODE) {
            if (c.getSimpleName().equals(simple) && ("." + c.getPackageName()).endsWith(packageSuffix)) {
                return true;
            }
        }
        return false;
    }
}
