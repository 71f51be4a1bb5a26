package dev.deploy.python;

import dev.deploy.DeployException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WheelTagsTest {

    private static final TargetEnvironment DEBIAN12 = TargetEnvironment.glibcLinux("3.11.2", "x86_64", 2, 36);

    @Test
    void glibcPlatformsRunFromTheHostGlibcDownWithLegacyAliasesNextToTheirVersion() {
        List<String> platforms = WheelTags.platforms("x86_64", new Libc.Glibc(2, 36));
        assertThat(platforms).startsWith("manylinux_2_36_x86_64", "manylinux_2_35_x86_64");
        assertThat(platforms).containsSubsequence("manylinux_2_18_x86_64", "manylinux_2_17_x86_64",
                "manylinux2014_x86_64", "manylinux_2_16_x86_64");
        assertThat(platforms).containsSubsequence("manylinux_2_12_x86_64", "manylinux2010_x86_64",
                "manylinux_2_11_x86_64");
        assertThat(platforms).endsWith("manylinux_2_5_x86_64", "manylinux1_x86_64", "linux_x86_64");
        assertThat(platforms).hasSize(32 + 3 + 1);
    }

    @Test
    void aarch64StopsAtGlibc217WithOnlyTheManylinux2014Alias() {
        List<String> platforms = WheelTags.platforms("aarch64", new Libc.Glibc(2, 31));
        assertThat(platforms).startsWith("manylinux_2_31_aarch64");
        assertThat(platforms).endsWith("manylinux_2_17_aarch64", "manylinux2014_aarch64", "linux_aarch64");
        assertThat(platforms).noneMatch(p -> p.startsWith("manylinux2010") || p.startsWith("manylinux1"));
    }

    @Test
    void muslHostsGetMusllinuxTagsAndNoManylinux() {
        assertThat(WheelTags.platforms("x86_64", new Libc.Musl(1, 2))).containsExactly(
                "musllinux_1_2_x86_64", "musllinux_1_1_x86_64", "musllinux_1_0_x86_64", "linux_x86_64");
    }

    @Test
    void ordersCpythonAbiThenAbi3ThenNoneThenOlderAbi3ThenPurePython() {
        List<String> tags = WheelTags.forTarget(DEBIAN12).ordered().stream().map(WheelTag::toString).toList();
        assertThat(tags.get(0)).isEqualTo("cp311-cp311-manylinux_2_36_x86_64");
        assertThat(tags).containsSubsequence(
                "cp311-cp311-manylinux_2_17_x86_64",
                "cp311-cp311-linux_x86_64",
                "cp311-abi3-manylinux_2_36_x86_64",
                "cp311-none-manylinux_2_36_x86_64",
                "cp310-abi3-manylinux_2_36_x86_64",
                "cp32-abi3-linux_x86_64",
                "py311-none-manylinux_2_36_x86_64",
                "py3-none-manylinux_2_36_x86_64",
                "py30-none-linux_x86_64",
                "cp311-none-any",
                "py311-none-any",
                "py3-none-any",
                "py310-none-any",
                "py30-none-any");
        assertThat(tags.get(tags.size() - 1)).isEqualTo("py30-none-any");
        // 36 platforms x (cp311, abi3, none, 9 older abi3, 13 pyXY/py3) + 14 "any" tags
        assertThat(tags).hasSize(36 * 25 + 14).doesNotHaveDuplicates();
    }

    @Test
    void acceptsNothingForOtherInterpretersPlatformsOrNewerGlibc() {
        WheelTags tags = WheelTags.forTarget(DEBIAN12);
        for (String rejected : List.of("cp312-cp312-manylinux_2_17_x86_64", "cp311-cp311-musllinux_1_1_x86_64",
                "cp311-cp311-macosx_11_0_arm64", "cp311-cp311-win_amd64", "cp311-cp311-manylinux_2_17_aarch64",
                "cp311-cp311-manylinux_2_37_x86_64", "cp312-abi3-manylinux_2_17_x86_64", "pp310-pypy310_pp73-any",
                "py2-none-any")) {
            String[] parts = rejected.split("-");
            assertThat(tags.priorityOf(new WheelTag(parts[0], parts[1], parts[2]))).as(rejected).isEmpty();
        }
    }

    @Test
    void refusesNonCpythonTargets() {
        TargetEnvironment pypy = new TargetEnvironment("3.10.14", "pypy", "x86_64", "linux",
                new Libc.Glibc(2, 36), "", "");
        assertThatThrownBy(() -> WheelTags.forTarget(pypy))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("only CPython");
    }
}
