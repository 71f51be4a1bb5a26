package dev.deploy.python;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class WheelSelectorTest {

    private static final WheelSelector DEBIAN12_X86 =
            new WheelSelector(WheelTags.forTarget(TargetEnvironment.glibcLinux("3.11.2", "x86_64", 2, 36)));

    private static final String[] PYDANTIC_CORE = {
            "pydantic_core-2.27.2-cp311-cp311-macosx_10_12_x86_64.whl",
            "pydantic_core-2.27.2-cp311-cp311-macosx_11_0_arm64.whl",
            "pydantic_core-2.27.2-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
            "pydantic_core-2.27.2-cp311-cp311-musllinux_1_1_x86_64.whl",
            "pydantic_core-2.27.2-cp311-cp311-win_amd64.whl",
            "pydantic_core-2.27.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
            "pydantic_core-2.27.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
            "pydantic_core-2.27.2-cp38-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
            "pydantic_core-2.27.2-py3-none-any.whl",
    };

    @Test
    void prefersTheCpythonSpecificManylinuxWheelOverAbi3AndPurePython() {
        assertThat(selected(DEBIAN12_X86, PYDANTIC_CORE))
                .contains("pydantic_core-2.27.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    }

    @Test
    void fallsBackToAbi3ThenToPurePython() {
        String[] withoutCp311 = Arrays.stream(PYDANTIC_CORE)
                .filter(name -> !name.contains("cp311-cp311-manylinux_2_17_x86_64")).toArray(String[]::new);
        assertThat(selected(DEBIAN12_X86, withoutCp311))
                .contains("pydantic_core-2.27.2-cp38-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
        String[] withoutAbi3 = Arrays.stream(withoutCp311).filter(name -> !name.contains("abi3")).toArray(String[]::new);
        assertThat(selected(DEBIAN12_X86, withoutAbi3)).contains("pydantic_core-2.27.2-py3-none-any.whl");
    }

    @Test
    void rejectsMusllinuxMacosWindowsOtherArchitecturesAndOtherPythons() {
        assertThat(selected(DEBIAN12_X86,
                "pkg-1.0-cp311-cp311-musllinux_1_2_x86_64.whl",
                "pkg-1.0-cp311-cp311-macosx_11_0_arm64.whl",
                "pkg-1.0-cp311-cp311-win_amd64.whl",
                "pkg-1.0-cp311-cp311-manylinux_2_17_aarch64.whl",
                "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                "pkg-1.0-cp313-abi3-manylinux_2_17_x86_64.whl",
                "pkg-1.0-pp310-pypy310_pp73-manylinux_2_17_x86_64.whl")).isEmpty();
    }

    @Test
    void acceptsAWheelTaggedOnlyWithTheManylinux2014Alias() {
        assertThat(selected(DEBIAN12_X86, "pkg-1.0-cp311-cp311-manylinux2014_x86_64.whl"))
                .contains("pkg-1.0-cp311-cp311-manylinux2014_x86_64.whl");
        assertThat(selected(DEBIAN12_X86, "pkg-1.0-cp311-cp311-manylinux1_x86_64.whl"))
                .contains("pkg-1.0-cp311-cp311-manylinux1_x86_64.whl");
    }

    @Test
    void prefersTheNewestManylinuxTheHostGlibcSupports() {
        assertThat(selected(DEBIAN12_X86,
                "pkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl",
                "pkg-1.0-cp311-cp311-manylinux_2_28_x86_64.whl",
                "pkg-1.0-cp311-cp311-manylinux_2_39_x86_64.whl"))
                .contains("pkg-1.0-cp311-cp311-manylinux_2_28_x86_64.whl");
    }

    @Test
    void picksTheAarch64WheelOnAnArmHost() {
        WheelSelector arm = new WheelSelector(WheelTags.forTarget(
                TargetEnvironment.glibcLinux("3.11.2", "aarch64", 2, 36)));
        assertThat(selected(arm, PYDANTIC_CORE))
                .contains("pydantic_core-2.27.2-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl");
    }

    @Test
    void picksMusllinuxOnAlpineAndNeverManylinux() {
        WheelSelector alpine = new WheelSelector(WheelTags.forTarget(
                TargetEnvironment.muslLinux("3.11.9", "x86_64", 1, 2)));
        assertThat(selected(alpine, PYDANTIC_CORE))
                .contains("pydantic_core-2.27.2-cp311-cp311-musllinux_1_1_x86_64.whl");
        assertThat(selected(alpine, "pkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl")).isEmpty();
    }

    @Test
    void breaksTiesByHigherBuildTagAndNotByLockOrder() {
        assertThat(selected(DEBIAN12_X86, "pkg-1.0-1-py3-none-any.whl", "pkg-1.0-2-py3-none-any.whl"))
                .contains("pkg-1.0-2-py3-none-any.whl");
        assertThat(selected(DEBIAN12_X86, "pkg-1.0-2-py3-none-any.whl", "pkg-1.0-1-py3-none-any.whl"))
                .contains("pkg-1.0-2-py3-none-any.whl");
    }

    private static Optional<String> selected(WheelSelector selector, String... fileNames) {
        List<LockedWheel> wheels = Arrays.stream(fileNames)
                .map(name -> new LockedWheel(
                        new LockedFile("https://files.example/packages/" + name, Optional.empty(), OptionalLong.empty()),
                        WheelFilename.parse(name)))
                .toList();
        return selector.select(wheels).map(wheel -> wheel.file().fileName());
    }
}
