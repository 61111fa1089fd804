package io.deepmnist.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JavaCppDefaultsTests {

    private static final List<String> KEYS = List.of(JavaCppDefaults.MAX_PHYSICAL_BYTES,
            JavaCppDefaults.MAX_PHYSICAL_BYTES_LOWER);
    private final Properties saved = new Properties();

    @BeforeEach
    void clear() {
        KEYS.forEach(key -> {
            String value = System.getProperty(key);
            if (value != null) {
                saved.setProperty(key, value);
            }
            System.clearProperty(key);
        });
    }

    @AfterEach
    void restore() {
        KEYS.forEach(System::clearProperty);
        saved.forEach((key, value) -> System.setProperty((String) key, (String) value));
    }

    @Test
    void theServiceTurnsOffJavaCppsResidentSizeCheck() {
        JavaCppDefaults.apply();
        assertThat(System.getProperty(JavaCppDefaults.MAX_PHYSICAL_BYTES)).isEqualTo("0");
    }

    @Test
    void aLimitTheUserSetIsKeptInEitherSpelling() {
        System.setProperty(JavaCppDefaults.MAX_PHYSICAL_BYTES, "8g");
        JavaCppDefaults.apply();
        assertThat(System.getProperty(JavaCppDefaults.MAX_PHYSICAL_BYTES)).isEqualTo("8g");

        System.clearProperty(JavaCppDefaults.MAX_PHYSICAL_BYTES);
        System.setProperty(JavaCppDefaults.MAX_PHYSICAL_BYTES_LOWER, "6g");
        JavaCppDefaults.apply();
        assertThat(System.getProperty(JavaCppDefaults.MAX_PHYSICAL_BYTES)).isNull();
    }
}
