package dev.deploy.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Locks with {@code conflicts}, dependency groups and extras, resolved the way {@code uv sync --frozen} installs
 * them (uv's installable walk: conflict markers {@code extra-N-PKG-NAME}, {@code group-...}, {@code project-...}
 * evaluated against the items the install turns on, found in a first walk).
 */
class VenvResolverConflictsTest {

    private static final TargetEnvironment CPYTHON312 = TargetEnvironment.glibcLinux("3.12.3", "x86_64", 2, 39);
    private static final TargetEnvironment CPYTHON312_ARM = TargetEnvironment.glibcLinux("3.12.3", "aarch64", 2, 39);

    private static String registry(String name, String version) {
        return "\n[[package]]\nname = \"" + name + "\"\nversion = \"" + version + "\"\n"
                + "source = { registry = \"https://pypi.org/simple\" }\n"
                + "wheels = [{ url = \"https://files.example/" + name.replace('-', '_') + "-" + version
                + "-py3-none-any.whl\", hash = \"sha256:" + "ab".repeat(32) + "\" }]\n";
    }

    private static Map<String, String> versions(VenvResolution venv) {
        return venv.packages().stream().collect(Collectors.toMap(ResolvedPackage::name,
                p -> p.lockedPackage().version().orElse("")));
    }

    /** The case issue 13 hands over: uv installs lib 1.0 and taskq 2.0 for the extra [tasks]. */
    private static final String TASKS_LOCK = """
            version = 1
            revision = 3
            requires-python = ">=3.12"
            conflicts = [[
                { package = "app", group = "dev" },
                { package = "lib", extra = "tasks" },
            ]]

            [[package]]
            name = "app"
            version = "0.1.0"
            source = { editable = "." }

            [package.optional-dependencies]
            tasks = [
                { name = "lib", extra = ["tasks"], marker = "extra == 'extra-3-lib-tasks' or (extra == 'extra-3-app-tasks' and extra == 'group-3-app-dev')" },
            ]

            [package.dev-dependencies]
            dev = [{ name = "pytest" }]

            [package.metadata]
            provides-extras = ["tasks"]

            [package.metadata.requires-dev]
            dev = [{ name = "pytest" }]

            [[package]]
            name = "lib"
            version = "1.0"
            source = { registry = "https://pypi.org/simple" }
            wheels = [{ url = "https://files.example/lib-1.0-py3-none-any.whl", hash = "sha256:%s" }]

            [package.optional-dependencies]
            tasks = [{ name = "taskq", marker = "extra == 'extra-3-lib-tasks'" }]
            """.formatted("cd".repeat(32)) + registry("taskq", "2.0") + registry("pytest", "8.3.4");

    @Test
    void anExtraWhoseEdgesCarryConflictMarkersInstallsWhatUvInstalls() {
        UvLock lock = UvLockParser.parse("uv.lock", TASKS_LOCK);
        VenvResolution venv = VenvResolver.resolve(lock, CPYTHON312, "app", Set.of("tasks"));
        assertThat(versions(venv)).containsExactly(Map.entry("lib", "1.0"), Map.entry("taskq", "2.0"));
        assertThat(venv.extras()).containsExactly("tasks");
        assertThat(VenvResolver.resolve(lock, CPYTHON312, "app").names()).isEmpty();
    }

    @Test
    void anExtraAndAGroupDeclaredConflictingOnlyTransitivelyInstallTogether() {
        UvLock lock = UvLockParser.parse("uv.lock", TASKS_LOCK);
        VenvResolution venv = VenvResolver.resolve(lock, CPYTHON312, "app", Set.of("tasks"), Set.of("dev"));
        assertThat(venv.names()).containsExactly("lib", "pytest", "taskq");
        assertThat(venv.groups()).containsExactly("dev");
    }

    /** Two accelerator extras of one project, as uv's PyTorch guide sets them up. */
    private static final String TORCH_LOCK = """
            version = 1
            revision = 3
            requires-python = ">=3.12"
            resolution-markers = [
                "extra != 'extra-2-ml-cpu' and extra == 'extra-2-ml-cuda'",
                "extra == 'extra-2-ml-cpu' and extra != 'extra-2-ml-cuda'",
                "extra != 'extra-2-ml-cpu' and extra != 'extra-2-ml-cuda'",
            ]
            conflicts = [[
                { package = "ml", extra = "cpu" },
                { package = "ml", extra = "cuda" },
            ]]

            [[package]]
            name = "ml"
            version = "0.1.0"
            source = { virtual = "." }
            dependencies = [{ name = "numpy" }]

            [package.optional-dependencies]
            cpu = [{ name = "torch", version = "2.5.1+cpu", source = { registry = "https://download.pytorch.org/whl/cpu" } }]
            cuda = [{ name = "torch", version = "2.5.1", source = { registry = "https://pypi.org/simple" } }]

            [[package]]
            name = "torch"
            version = "2.5.1"
            source = { registry = "https://pypi.org/simple" }
            resolution-markers = ["extra != 'extra-2-ml-cpu' and extra == 'extra-2-ml-cuda'"]
            dependencies = [
                { name = "filelock", marker = "(extra == 'extra-2-ml-cpu' and extra == 'extra-2-ml-cuda') or (extra != 'extra-2-ml-cpu')" },
                { name = "nvidia-cublas-cu12", marker = "(platform_machine == 'x86_64' and sys_platform == 'linux' and extra != 'extra-2-ml-cpu') or (extra == 'extra-2-ml-cpu' and extra == 'extra-2-ml-cuda')" },
            ]
            wheels = [{ url = "https://files.example/torch-2.5.1-cp312-cp312-manylinux1_x86_64.whl", hash = "sha256:%1$s" },
                      { url = "https://files.example/torch-2.5.1-cp312-cp312-manylinux_2_17_aarch64.whl", hash = "sha256:%1$s" }]

            [[package]]
            name = "torch"
            version = "2.5.1+cpu"
            source = { registry = "https://download.pytorch.org/whl/cpu" }
            resolution-markers = ["extra == 'extra-2-ml-cpu' and extra != 'extra-2-ml-cuda'"]
            dependencies = [
                { name = "filelock", marker = "(extra == 'extra-2-ml-cpu') or (extra != 'extra-2-ml-cuda')" },
            ]
            wheels = [{ url = "https://download.example/torch-2.5.1%%2Bcpu-cp312-cp312-linux_x86_64.whl", hash = "sha256:%1$s" }]
            """.formatted("ef".repeat(32)) + registry("numpy", "2.1.0") + registry("filelock", "3.16.1")
            + registry("nvidia-cublas-cu12", "12.4.5.8");

    @Test
    void eachSideOfAConflictGetsItsOwnForkAndNeitherSideGetsNone() {
        UvLock lock = UvLockParser.parse("uv.lock", TORCH_LOCK);
        assertThat(versions(VenvResolver.resolve(lock, CPYTHON312, "ml", Set.of("cpu")))).containsOnly(
                Map.entry("filelock", "3.16.1"), Map.entry("numpy", "2.1.0"), Map.entry("torch", "2.5.1+cpu"));
        assertThat(versions(VenvResolver.resolve(lock, CPYTHON312, "ml", Set.of("cuda")))).containsOnly(
                Map.entry("filelock", "3.16.1"), Map.entry("numpy", "2.1.0"), Map.entry("torch", "2.5.1"),
                Map.entry("nvidia-cublas-cu12", "12.4.5.8"));
        assertThat(VenvResolver.resolve(lock, CPYTHON312_ARM, "ml", Set.of("cuda")).names())
                .as("the platform part of a conflict marker still counts").doesNotContain("nvidia-cublas-cu12");
        assertThat(VenvResolver.resolve(lock, CPYTHON312, "ml").names()).containsExactly("numpy");
    }

    @Test
    void requestingBothSidesOfADeclaredConflictIsRefused() {
        UvLock lock = UvLockParser.parse("uv.lock", TORCH_LOCK);
        assertThatThrownBy(() -> VenvResolver.resolve(lock, CPYTHON312, "ml", Set.of("cpu", "cuda")))
                .isInstanceOf(DeployException.class)
                .satisfies(e -> assertThat(((DeployException) e).kind()).isEqualTo(DeployException.Kind.INPUT))
                .hasMessage("uv.lock: ml[cpu] and ml[cuda] are declared conflicting (the lock's conflicts = [ml[cpu], "
                        + "ml[cuda]]): select at most one of them");
        assertThat(VenvResolver.checkSelection(lock, "ml", List.of("cpu", "cuda"), List.of()))
                .hasValueSatisfying(problem -> {
                    assertThat(problem.field()).isEqualTo(VenvResolver.Field.EXTRAS);
                    assertThat(problem.name()).isEqualTo("cuda");
                });
    }

    @Test
    void aConflictThatOnlyArisesThroughAnExtraADependencyRequestsIsRefused() {
        String lock = """
                version = 1
                revision = 3
                requires-python = ">=3.12"
                conflicts = [[
                    { package = "example", extra = "bar" },
                    { package = "example", extra = "foo" },
                ]]

                [[package]]
                name = "example"
                version = "0.1.0"
                source = { editable = "." }

                [package.optional-dependencies]
                bar = [{ name = "sortedcontainers", version = "2.4.0", source = { registry = "https://pypi.org/simple" } }]
                foo = [
                    { name = "indirection" },
                    { name = "sortedcontainers", version = "2.3.0", source = { registry = "https://pypi.org/simple" } },
                ]

                [[package]]
                name = "indirection"
                version = "0.1.0"
                source = { editable = "indirection" }
                dependencies = [
                    { name = "example" },
                    { name = "example", extra = ["bar"], marker = "extra == 'extra-7-example-bar'" },
                ]
                """ + registry("sortedcontainers", "2.3.0") + registry("sortedcontainers", "2.4.0");
        UvLock parsed = UvLockParser.parse("uv.lock", lock);
        assertThat(VenvResolver.checkSelection(parsed, "example", List.of("foo"), List.of())).isEmpty();
        assertThatThrownBy(() -> VenvResolver.resolve(parsed, CPYTHON312, "example", Set.of("foo")))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock: installing example with this selection turns on both example[bar] and "
                        + "example[foo], which the lock declares conflicting (conflicts = [example[bar], example[foo]]);"
                        + " select other extras or groups");
        assertThat(versions(VenvResolver.resolve(parsed, CPYTHON312, "example", Set.of("bar"))))
                .containsOnly(Map.entry("sortedcontainers", "2.4.0"));
    }

    @Test
    void aPackageTheFinalSelectionMakesUnreachableTurnsOnNoExtra() {
        String lock = """
                version = 1
                revision = 3
                requires-python = ">=3.12"
                conflicts = [[
                    { package = "q", extra = "bar" },
                    { package = "x", extra = "foo" },
                ]]

                [[package]]
                name = "parent"
                source = { virtual = "parent" }
                dependencies = [{ name = "q", extra = ["bar"] }]

                [[package]]
                name = "project"
                source = { virtual = "." }
                dependencies = [{ name = "parent", marker = "extra != 'extra-1-x-foo'" }]

                [package.optional-dependencies]
                feature = [{ name = "x", extra = ["foo"] }]

                [package.metadata]
                provides-extras = ["feature"]

                [[package]]
                name = "q"
                source = { virtual = "q" }

                [package.optional-dependencies]
                bar = []

                [[package]]
                name = "x"
                source = { virtual = "x" }

                [package.optional-dependencies]
                foo = []
                """;
        UvLock parsed = UvLockParser.parse("uv.lock", lock);
        assertThat(VenvResolver.resolve(parsed, CPYTHON312, "project", Set.of("feature")).names()).isEmpty();
    }

    @Test
    void aGroupThatRequestsAnExtraOfTheProjectTurnsItOn() {
        String lock = """
                version = 1
                revision = 3
                requires-python = ">=3.12"
                conflicts = [[
                    { package = "app", extra = "fast" },
                    { package = "app", extra = "slow" },
                ]]

                [[package]]
                name = "app"
                version = "0.1.0"
                source = { editable = "." }

                [package.optional-dependencies]
                fast = [{ name = "speedups", marker = "extra == 'extra-3-app-fast'" }]
                slow = [{ name = "plain", marker = "extra == 'extra-3-app-slow'" }]

                [package.dev-dependencies]
                bench = [{ name = "app", extra = ["fast"], marker = "extra == 'extra-3-app-fast'" }]
                """ + registry("speedups", "1.0") + registry("plain", "1.0");
        UvLock parsed = UvLockParser.parse("uv.lock", lock);
        assertThat(VenvResolver.resolve(parsed, CPYTHON312, "app", Set.of(), Set.of("bench")).names())
                .containsExactly("speedups");
        assertThatThrownBy(() -> VenvResolver.resolve(parsed, CPYTHON312, "app", Set.of("slow"), Set.of("bench")))
                .isInstanceOf(DeployException.class).hasMessageContaining("turns on both app[fast] and app[slow]");
    }

    @Test
    void aProjectDeclaredConflictingWithItsOwnGroupRefusesThatGroup() {
        String lock = """
                version = 1
                revision = 3
                requires-python = ">=3.12"
                conflicts = [[{ package = "app" }, { package = "app", group = "legacy" }]]

                [[package]]
                name = "app"
                version = "0.1.0"
                source = { editable = "." }
                dependencies = [{ name = "pydantic", version = "2.10.4", source = { registry = "https://pypi.org/simple" }, marker = "extra == 'project-3-app'" }]

                [package.dev-dependencies]
                legacy = [{ name = "pydantic", version = "1.10.26", source = { registry = "https://pypi.org/simple" }, marker = "extra == 'group-3-app-legacy'" }]
                """ + registry("pydantic", "2.10.4") + registry("pydantic", "1.10.26");
        UvLock parsed = UvLockParser.parse("uv.lock", lock);
        assertThat(versions(VenvResolver.resolve(parsed, CPYTHON312, "app"))).containsOnly(
                Map.entry("pydantic", "2.10.4"));
        assertThatThrownBy(() -> VenvResolver.resolve(parsed, CPYTHON312, "app", Set.of(), Set.of("legacy")))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock: app and app (group legacy) are declared conflicting (the lock's conflicts = "
                        + "[app, app (group legacy)]): select at most one of them");
    }

    @Test
    void groupsAreInstalledOnlyWhenSelectedAndUnknownExtrasAndGroupsAreNamed() {
        UvLock lock = UvLockParser.parse("uv.lock", LargeLockFixture.text());
        TargetEnvironment debian12 = TargetEnvironment.glibcLinux("3.11.2", "x86_64", 2, 36);
        VenvResolution withDev = VenvResolver.resolve(lock, debian12, LargeLockFixture.ROOT, Set.of(), Set.of("dev"));
        VenvResolution without = VenvResolver.resolve(lock, debian12, LargeLockFixture.ROOT);
        assertThat(without.names()).doesNotContain("pytest", "openai", "mock");
        assertThat(withDev.names()).contains("pytest", "pytest-mock", "openai", "jiter", "mock", "setuptools")
                .containsAll(without.names()).doesNotContain("colorama");
        assertThatThrownBy(() -> VenvResolver.resolve(lock, debian12, LargeLockFixture.ROOT, Set.of(),
                Set.of("prod")))
                .isInstanceOf(DeployException.class)
                .hasMessageEndingWith("package 'lnbits': has no dependency group 'prod'; it has [dev]");
        assertThat(VenvResolver.checkSelection(lock, LargeLockFixture.ROOT, List.of("liquid", "sqlite"), List.of()))
                .hasValueSatisfying(problem -> {
                    assertThat(problem.field()).isEqualTo(VenvResolver.Field.EXTRAS);
                    assertThat(problem.name()).isEqualTo("sqlite");
                    assertThat(problem.detail()).endsWith("has no extra 'sqlite'; it has [liquid, migration]");
                });
    }

    @Test
    void anExtraTheProjectDeclaresWithoutDependenciesIsAccepted() {
        String lock = """
                version = 1
                revision = 3
                [[package]]
                name = "app"
                version = "0.1.0"
                source = { editable = "." }
                dependencies = [{ name = "idna" }]

                [package.metadata]
                provides-extras = ["nothing-yet"]
                """ + registry("idna", "3.10");
        UvLock parsed = UvLockParser.parse("uv.lock", lock);
        assertThat(VenvResolver.resolve(parsed, CPYTHON312, "app", Set.of("Nothing_Yet")).names())
                .containsExactly("idna");
    }

    @Test
    void aHostOutsideTheLocksSupportedEnvironmentsIsRefused() {
        String lock = """
                version = 1
                revision = 3
                supported-markers = ["platform_machine == 'x86_64' and sys_platform == 'linux'"]
                [[package]]
                name = "app"
                version = "0.1.0"
                source = { editable = "." }
                """;
        UvLock parsed = UvLockParser.parse("uv.lock", lock);
        assertThat(VenvResolver.resolve(parsed, CPYTHON312, "app").names()).isEmpty();
        assertThatThrownBy(() -> VenvResolver.resolve(parsed, CPYTHON312_ARM, "app"))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("uv.lock: the lock was made only for supported-markers 'platform_machine == "
                        + "\"x86_64\" and sys_platform == \"linux\"', which the host's Python (cpython 3.12.3 aarch64");
    }

    @Test
    void conflictItemsAreEncodedAsUvEncodesThem() {
        assertThat(ConflictItem.extra("Lib", "Tasks").encoded()).isEqualTo("extra-3-lib-tasks");
        assertThat(ConflictItem.group("my_app", "dev").encoded()).isEqualTo("group-6-my-app-dev");
        assertThat(ConflictItem.project("sfm-venv").encoded()).isEqualTo("project-8-sfm-venv");
        UvLock lock = UvLockParser.parse("uv.lock", TASKS_LOCK);
        assertThat(lock.conflicts()).containsExactly(List.of(ConflictItem.group("app", "dev"),
                ConflictItem.extra("lib", "tasks")));
    }
}
