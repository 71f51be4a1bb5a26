package dev.deploy.python;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pep440VersionTest {

    @Test
    void sortsDevBeforePreBeforeFinalBeforePostAndEpochFirst() {
        List<String> expected = List.of(
                "1.0.dev0", "1.0a1.dev1", "1.0a1", "1.0a2", "1.0b1", "1.0rc1", "1.0", "1.0+local.1",
                "1.0.post1.dev0", "1.0.post1", "1.0.post2", "1.0.1", "1.1.dev1", "1.1", "2.0", "10.0", "1!0.1");
        List<Pep440Version> shuffled = new ArrayList<>(expected.stream().map(Pep440Version::parse).toList());
        Collections.shuffle(shuffled, new java.util.Random(42));
        Collections.sort(shuffled);
        assertThat(shuffled).extracting(Pep440Version::toString).containsExactlyElementsOf(expected);
    }

    @Test
    void trailingZerosDoNotMatterForEquality() {
        assertThat(Pep440Version.parse("3.11")).isEqualTo(Pep440Version.parse("3.11.0"));
        assertThat(Pep440Version.parse("3.11").hashCode()).isEqualTo(Pep440Version.parse("3.11.0.0").hashCode());
        assertThat(Pep440Version.parse("3.11")).isLessThan(Pep440Version.parse("3.11.1"));
    }

    @ParameterizedTest(name = "{0} normalizes to {1}")
    @CsvSource({
            "v1.0, 1.0",
            "1.0-alpha1, 1.0a1",
            "1.0.BETA.2, 1.0b2",
            "1.0c1, 1.0rc1",
            "1.0-preview-3, 1.0rc3",
            "1.0-1, 1.0.post1",
            "1.0rev, 1.0.post0",
            "1.0_dev, 1.0.dev0",
            "1.0+Ubuntu-1_2, 1.0+ubuntu.1.2",
            "0!2024.10.1, 2024.10.1",
    })
    void normalizesAlternativeSpellings(String written, String normalized) {
        assertThat(Pep440Version.parse(written).toString()).isEqualTo(normalized);
    }

    @Test
    void numericLocalSegmentsSortAfterAlphanumericOnes() {
        assertThat(Pep440Version.parse("1.0+abc")).isLessThan(Pep440Version.parse("1.0+5"));
        assertThat(Pep440Version.parse("1.0+5")).isLessThan(Pep440Version.parse("1.0+10"));
        assertThat(Pep440Version.parse("1.0+5")).isLessThan(Pep440Version.parse("1.0+5.1"));
    }

    @Test
    void rejectsNonPep440TextSuchAsKernelReleases() {
        assertThat(Pep440Version.tryParse("6.1.0-18-amd64")).isEmpty();
        assertThat(Pep440Version.tryParse("linux")).isEmpty();
        assertThatThrownBy(() -> Pep440Version.parse("1.0-foo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'1.0-foo'");
    }
}
