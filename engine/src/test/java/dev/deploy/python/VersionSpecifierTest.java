package dev.deploy.python;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionSpecifierTest {

    @ParameterizedTest(name = "{1} in ''{0}'' is {2}")
    @CsvSource(delimiter = '|', value = {
            ">=3.9        | 3.11.2    | true",
            ">=3.12       | 3.11.2    | false",
            "<3.11        | 3.11.0    | false",
            "<3.11        | 3.10.12   | true",
            "<3.11        | 3.11.0rc1 | false",
            "<3.11rc2     | 3.11.0rc1 | true",
            "<=3.11       | 3.11.0    | true",
            "<=3.11       | 3.11.1    | false",
            ">3.11        | 3.11.0    | false",
            ">3.11        | 3.11.post1| false",
            ">3.11        | 3.11.1    | true",
            ">3.11.post1  | 3.11.post2| true",
            "==3.11       | 3.11.0    | true",
            "==3.11       | 3.11.0+ab | true",
            "==3.11+ab    | 3.11.0    | false",
            "==3.*        | 3.11.2    | true",
            "==3.1.*      | 3.11.2    | false",
            "==3.11.*     | 3.11      | true",
            "!=3.11.*     | 3.11.2    | false",
            "!=3.11.1     | 3.11.2    | true",
            "~=3.9        | 3.11.2    | true",
            "~=3.9        | 4.0       | false",
            "~=3.9.1      | 3.9.5     | true",
            "~=3.9.1      | 3.10.0    | false",
            "===3.11.2    | 3.11.2    | true",
            "===3.11      | 3.11.0    | false",
    })
    void containsFollowsPep440(String specifier, String version, boolean expected) {
        assertThat(VersionSpecifier.parse(specifier).contains(Pep440Version.parse(version))).isEqualTo(expected);
    }

    @Test
    void setIsSatisfiedOnlyWhenEveryClauseIs() {
        VersionSpecifiers range = VersionSpecifiers.parse(">=3.10, <3.13");
        assertThat(range.contains(Pep440Version.parse("3.12.8"))).isTrue();
        assertThat(range.contains(Pep440Version.parse("3.13.0"))).isFalse();
        assertThat(range.contains(Pep440Version.parse("3.9.2"))).isFalse();
    }

    @Test
    void rejectsInvalidClauses() {
        assertThat(VersionSpecifier.tryParse("~=3")).isEmpty();
        assertThat(VersionSpecifier.tryParse(">=3.*")).isEmpty();
        assertThat(VersionSpecifier.tryParse(">=3.0+local")).isEmpty();
        assertThat(VersionSpecifier.tryParse("3.9")).isEmpty();
        assertThatThrownBy(() -> VersionSpecifiers.parse(">=3.9,,<4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a PEP 440 version specifier");
    }
}
