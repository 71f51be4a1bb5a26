package dev.deploy.python;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WheelFilenameTest {

    @Test
    void parsesCompressedTagSetsIntoEveryCombination() {
        WheelFilename wheel = WheelFilename.parse(
                "pydantic_core-2.27.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
        assertThat(wheel.distribution()).isEqualTo("pydantic_core");
        assertThat(wheel.normalizedName()).isEqualTo("pydantic-core");
        assertThat(wheel.version()).isEqualTo("2.27.2");
        assertThat(wheel.buildTag()).isEmpty();
        assertThat(wheel.tags()).extracting(WheelTag::toString).containsExactly(
                "cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64");
    }

    @Test
    void expandsPythonTagSets() {
        WheelFilename wheel = WheelFilename.parse("six-1.17.0-py2.py3-none-any.whl");
        assertThat(wheel.pythonTags()).containsExactly("py2", "py3");
        assertThat(wheel.tags()).hasSize(2);
    }

    @Test
    void readsTheOptionalBuildTag() {
        WheelFilename wheel = WheelFilename.parse("pkg-1.0-2b-py3-none-any.whl");
        assertThat(wheel.buildTag()).isEqualTo(Optional.of("2b"));
        assertThat(wheel.buildOrder()).isGreaterThan(WheelFilename.parse("pkg-1.0-2-py3-none-any.whl").buildOrder());
        assertThat(wheel.buildOrder()).isGreaterThan(WheelFilename.parse("pkg-1.0-py3-none-any.whl").buildOrder());
        assertThat(wheel.toString()).isEqualTo("pkg-1.0-2b-py3-none-any.whl");
    }

    @Test
    void rejectsNamesThatAreNotWheels() {
        for (String bad : List.of("pkg-1.0.tar.gz", "pkg-1.0-py3-none.whl", "pkg-1.0-x-py3-none-any.whl",
                "pkg--py3-none-any.whl", "a-b-c-d-e-f-g.whl")) {
            assertThatThrownBy(() -> WheelFilename.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }
}
