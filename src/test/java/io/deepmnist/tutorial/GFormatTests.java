package io.deepmnist.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The values below are what C's printf("%g") prints for them. */
class GFormatTests {

    @Test
    void formatsLikeCPrintfG() {
        assertThat(GFormat.g(0.94)).isEqualTo("0.94");
        assertThat(GFormat.g(1.0)).isEqualTo("1");
        assertThat(GFormat.g(0.9913)).isEqualTo("0.9913");
        assertThat(GFormat.g(0.9157000184059143)).isEqualTo("0.9157");
        assertThat(GFormat.g(0.08)).isEqualTo("0.08");
        assertThat(GFormat.g(0.123456789)).isEqualTo("0.123457");
        assertThat(GFormat.g(123456.0)).isEqualTo("123456");
        assertThat(GFormat.g(1234567.0)).isEqualTo("1.23457e+06");
        assertThat(GFormat.g(0.0001)).isEqualTo("0.0001");
        assertThat(GFormat.g(0.00001)).isEqualTo("1e-05");
        assertThat(GFormat.g(0.0)).isEqualTo("0");
        assertThat(GFormat.g(-2.5)).isEqualTo("-2.5");
        assertThat(GFormat.g(Double.NaN)).isEqualTo("nan");
        assertThat(GFormat.g(0.9999996)).isEqualTo("1");
    }
}
