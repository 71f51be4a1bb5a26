package dev.deploy.python;

import dev.deploy.DeployException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UvLockParserTest {

    static String resource(String name) {
        try (InputStream in = UvLockParserTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static UvLock smallLock() {
        return UvLockParser.parse("small-uv.lock", resource("small-uv.lock"));
    }

    @Test
    void readsTheHeader() {
        UvLock lock = smallLock();
        assertThat(lock.version()).isEqualTo(1);
        assertThat(lock.revision()).isEqualTo(3);
        assertThat(lock.requiresPython()).map(Object::toString).contains(">=3.10");
        assertThat(lock.resolutionMarkers()).extracting(Object::toString).containsExactly(
                "python_full_version >= \"3.12\"", "python_full_version < \"3.12\"");
        assertThat(lock.packages()).hasSize(22);
    }

    @Test
    void readsTheEditableRootWithItsExtrasAndWithoutItsDevGroup() {
        LockedPackage root = smallLock().onlyPackageNamed("demo_app");
        assertThat(root.name()).isEqualTo("demo-app");
        assertThat(root.version()).contains("0.1.0");
        assertThat(root.source()).isEqualTo(new PackageSource.Editable("."));
        assertThat(root.line()).isEqualTo(72);
        assertThat(root.dependencies()).extracting(LockDependency::name).containsExactly(
                "anyio", "click", "colorama", "numpy", "numpy", "pyln-client", "secp256k1", "uvicorn");
        assertThat(root.dependencies()).extracting(LockDependency::name).doesNotContain("pytest");
        assertThat(root.optionalDependencies()).containsOnlyKeys("postgres");
        assertThat(root.optionalDependencies().get("postgres")).extracting(LockDependency::name)
                .containsExactly("asyncpg");
        LockDependency uvicorn = root.dependencies().get(7);
        assertThat(uvicorn.extras()).containsExactly("standard");
        assertThat(uvicorn.marker()).isEqualTo(Marker.ALWAYS);
        assertThat(root.dependencies().get(2).marker().toString()).isEqualTo("sys_platform == \"win32\"");
    }

    @Test
    void readsSdistAndWheelsWithUrlHashAndSize() {
        LockedPackage anyio = smallLock().onlyPackageNamed("anyio");
        assertThat(anyio.source()).isEqualTo(new PackageSource.Registry("https://pypi.org/simple"));
        LockedFile sdist = anyio.sdist().orElseThrow();
        assertThat(sdist.fileName()).isEqualTo("anyio-4.8.0.tar.gz");
        assertThat(sdist.location()).startsWith("https://files.pythonhosted.org/packages/a3/73/");
        assertThat(sdist.hash().orElseThrow().algorithm()).isEqualTo("sha256");
        assertThat(sdist.hash().orElseThrow().hexDigest()).hasSize(64);
        assertThat(sdist.size()).hasValue(181126);
        assertThat(anyio.wheels()).singleElement().satisfies(wheel -> {
            assertThat(wheel.filename().tags()).extracting(WheelTag::toString).containsExactly("py3-none-any");
            assertThat(wheel.file().size()).hasValue(96041);
        });
        assertThat(smallLock().onlyPackageNamed("httptools").wheels().get(0).filename().platformTags())
                .containsExactly("manylinux_2_5_x86_64", "manylinux1_x86_64", "manylinux_2_17_x86_64",
                        "manylinux2014_x86_64");
    }

    @Test
    void keepsForkedVersionsOfOnePackageApartByResolutionMarkers() {
        UvLock lock = smallLock();
        List<LockedPackage> numpy = lock.packagesNamed("NumPy");
        assertThat(numpy).extracting(p -> p.version().orElseThrow()).containsExactly("1.26.4", "2.1.0");
        assertThat(numpy.get(0).resolutionMarkers()).extracting(Object::toString)
                .containsExactly("python_full_version < \"3.12\"");
        LockedPackage root = lock.onlyPackageNamed("demo-app");
        assertThat(lock.packageFor(root.dependencies().get(3))).isSameAs(numpy.get(0));
        assertThat(lock.packageFor(root.dependencies().get(4))).isSameAs(numpy.get(1));
        assertThat(root.dependencies().get(3).source()).contains(new PackageSource.Registry("https://pypi.org/simple"));
        assertThatThrownBy(() -> lock.onlyPackageNamed("numpy"))
                .isInstanceOf(DeployException.class)
                .hasMessage("small-uv.lock: package 'numpy': the lock holds 2 versions of it");
    }

    @Test
    void readsGitSourcesAndSdistOnlyPackages() {
        UvLock lock = smallLock();
        assertThat(lock.onlyPackageNamed("pyln-client").source()).isInstanceOfSatisfying(PackageSource.Git.class,
                git -> assertThat(git.url()).startsWith("https://github.com/ElementsProject/lightning?").contains("#3f2b6a4e"));
        LockedPackage secp = lock.onlyPackageNamed("secp256k1");
        assertThat(secp.wheels()).isEmpty();
        assertThat(secp.sdist()).isPresent();
    }

    @Test
    void readsExtrasOfDependencies() {
        LockedPackage uvicorn = smallLock().onlyPackageNamed("uvicorn");
        assertThat(uvicorn.optionalDependencies().get("standard")).extracting(LockDependency::name)
                .containsExactly("colorama", "httptools", "uvloop", "websockets");
        assertThat(uvicorn.optionalDependencies().get("standard").get(2).marker().toString()).isEqualTo(
                "platform_python_implementation != \"PyPy\" and sys_platform != \"cygwin\" and sys_platform != \"win32\"");
    }

    @Test
    void readsTheLargeLockWithEveryKindOfDistribution() {
        UvLock lock = UvLockParser.parse("uv.lock", LargeLockFixture.text());
        assertThat(lock.packages()).hasSize(LargeLockFixture.packageCount()).hasSizeGreaterThan(100);
        assertThat(lock.packages().stream().mapToInt(p -> p.wheels().size()).sum()).isGreaterThan(1000);
        assertThat(lock.packages()).filteredOn(p -> p.wheels().isEmpty() && p.sdist().isPresent())
                .extracting(LockedPackage::name).containsExactly("pyqrcode", "secp256k1");
        assertThat(lock.packagesNamed("grpcio")).hasSize(2);
        LockedPackage root = lock.onlyPackageNamed(LargeLockFixture.ROOT);
        assertThat(root.source().isLocalTree()).isTrue();
        assertThat(root.optionalDependencies()).containsOnlyKeys("liquid", "migration");
        assertThat(root.dependencies()).extracting(LockDependency::name).doesNotContain("pytest", "black", "ruff");
        assertThat(lock.onlyPackageNamed("cryptography").wheels()).allSatisfy(
                wheel -> assertThat(wheel.filename().abiTags()).containsExactly("abi3"));
        assertThat(lock.onlyPackageNamed("pydantic").optionalDependencies()).containsOnlyKeys("email");
    }

    @Test
    void rejectsUnknownLockVersions() {
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", "version = 2\nrevision = 1\n"))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:1: field 'version': lock format version 2 is not supported (deploy reads "
                        + "version 1); relock with a uv that writes version 1");
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", "[[package]]\nname = \"x\"\n"))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:1: field 'version': missing; is this a uv.lock?");
    }

    @Test
    void reportsInvalidTomlWithItsLine() {
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", "version = 1\n\n[[package]\nname = \"x\"\n"))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("uv.lock:3: invalid TOML: ");
    }

    @Test
    void reportsMalformedMarkersWithFileLinePackageAndField() {
        String lock = """
                version = 1
                [[package]]
                name = "foo"
                version = "1.0"
                source = { registry = "https://pypi.org/simple" }
                dependencies = [
                    { name = "bar", marker = "python_version <" },
                ]
                """;
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", lock))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:7: package 'foo' dependency 'bar' field 'marker': invalid marker "
                        + "'python_version <': expected a marker variable or a quoted string at the end");
    }

    @Test
    void reportsMalformedResolutionMarkersOnTheirOwnLine() {
        String lock = """
                version = 1
                resolution-markers = [
                    "python_full_version >= '3.12'",
                    # a comment between elements
                    "python_full_version >> '3.12'",
                ]
                """;
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", lock))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:5: field 'resolution-markers': invalid marker 'python_full_version >> '3.12'': "
                        + "expected a marker variable or a quoted string at column 22");
    }

    @Test
    void reportsDependenciesOnPackagesTheLockLacks() {
        String lock = """
                version = 1
                [[package]]
                name = "foo"
                version = "1.0"
                source = { registry = "https://pypi.org/simple" }
                dependencies = [{ name = "Bar_Baz" }]
                """;
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", lock))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:6: package 'foo 1.0' dependency 'bar-baz': no [[package]] entry for bar-baz");
    }

    @Test
    void reportsEdgesThatCannotTellForkedVersionsApart() {
        String lock = """
                version = 1
                [[package]]
                name = "app"
                source = { virtual = "." }
                dependencies = [{ name = "numpy" }]

                [[package]]
                name = "numpy"
                version = "1.26.4"
                source = { registry = "https://pypi.org/simple" }

                [[package]]
                name = "numpy"
                version = "2.1.0"
                source = { registry = "https://pypi.org/simple" }
                """;
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", lock))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:5: package 'app' dependency 'numpy': ambiguous, the lock holds numpy 1.26.4, "
                        + "numpy 2.1.0 and the entry names no single one of them");
    }

    @Test
    void reportsBadHashesAndWheelNamesWithTheirLine() {
        String badHash = """
                version = 1
                [[package]]
                name = "foo"
                version = "1.0"
                source = { registry = "https://pypi.org/simple" }
                sdist = { url = "https://example.org/foo-1.0.tar.gz", hash = "sha256:abc", size = 10 }
                """;
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", badHash))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:6: package 'foo' field 'sdist' hash: sha256 digest must be 64 hex digits");
        String badWheel = """
                version = 1
                [[package]]
                name = "foo"
                version = "1.0"
                source = { registry = "https://pypi.org/simple" }
                wheels = [
                    { url = "https://example.org/foo-1.0-py3-none-any.whl" },
                    { url = "https://example.org/foo-1.0.zip" },
                ]
                """;
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", badWheel))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:8: package 'foo' field 'wheels': not a wheel file name (no .whl): 'foo-1.0.zip'");
    }

    @Test
    void reportsMissingOrAmbiguousSources() {
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", "version = 1\n[[package]]\nname = \"foo\"\n"))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:3: package 'foo': field 'source': missing");
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock",
                "version = 1\n[[package]]\nname = \"foo\"\nsource = { git = \"a\", url = \"b\" }\n"))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:4: package 'foo': field 'source': expected exactly one of [registry, editable, "
                        + "virtual, directory, git, url, path], found [git, url]");
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock",
                "version = 1\n[[package]]\nname = 7\nsource = { virtual = \".\" }\n"))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:3: package at line 2: field 'name': expected a string");
    }

    @Test
    void takesSdistLocationFromDirectUrlSources() {
        String lock = """
                version = 1
                revision = 2
                [[package]]
                name = "foo"
                version = "1.0"
                source = { url = "https://example.org/dist/foo-1.0.tar.gz" }
                sdist = { hash = "sha256:%s" }
                """.formatted("ab".repeat(32));
        LockedPackage foo = UvLockParser.parse("uv.lock", lock).onlyPackageNamed("foo");
        assertThat(foo.sdist().orElseThrow().location()).isEqualTo("https://example.org/dist/foo-1.0.tar.gz");
        assertThat(foo.sdist().orElseThrow().size()).isEmpty();
        assertThat(foo.version()).isEqualTo(Optional.of("1.0"));
        assertThat(Set.copyOf(foo.optionalDependencies().keySet())).isEmpty();
    }

    @Test
    void aLockReadAndResolvedWithoutErrorsIsParsedOnceWithoutPositions() {
        UvLock lock = UvLockParser.parse("uv.lock", LargeLockFixture.text());
        VenvResolver.resolve(lock, TargetEnvironment.glibcLinux("3.11.2", "x86_64", 2, 36), LargeLockFixture.ROOT,
                Set.of("liquid"), Set.of("dev"));
        assertThat(lock.packages().get(0).at().lines().parsed()).as("no line was looked up").isFalse();
        UvLock small = smallLock();
        assertThat(small.onlyPackageNamed("demo-app").line()).isEqualTo(72);
        assertThat(small.packages().get(0).at().lines().parsed()).as("a line lookup parses").isTrue();
    }

    @Test
    void readsConflictsDependencyGroupsAndDeclaredExtras() {
        String text = """
                version = 1
                revision = 3
                requires-python = ">=3.12"
                supported-markers = ["sys_platform == 'linux'"]
                conflicts = [
                    [{ package = "app", extra = "cpu" }, { package = "app", extra = "CUDA" }],
                    [{ package = "app" }, { package = "app", group = "Legacy_Stack" }],
                ]

                [[package]]
                name = "app"
                version = "0.1.0"
                source = { editable = "." }

                [package.optional-dependencies]
                cpu = []

                [package.dev-dependencies]
                dev = [{ name = "pytest", marker = "extra == 'group-3-app-dev'" }]
                legacy-stack = []

                [package.metadata]
                provides-extras = ["cpu", "cuda", "docs"]

                [package.metadata.requires-dev]
                dev = [{ name = "pytest" }]
                lint = []

                [[package]]
                name = "pytest"
                version = "8.3.4"
                source = { registry = "https://pypi.org/simple" }
                """;
        UvLock lock = UvLockParser.parse("uv.lock", text);
        assertThat(lock.conflicts()).containsExactly(
                List.of(ConflictItem.extra("app", "cpu"), ConflictItem.extra("app", "cuda")),
                List.of(ConflictItem.project("app"), ConflictItem.group("app", "legacy-stack")));
        assertThat(lock.supportedMarkers()).extracting(Object::toString).containsExactly("sys_platform == \"linux\"");
        LockedPackage app = lock.onlyPackageNamed("app");
        assertThat(app.dependencyGroups()).containsOnlyKeys("dev", "legacy-stack");
        assertThat(app.dependencyGroups().get("dev")).extracting(LockDependency::name).containsExactly("pytest");
        assertThat(app.dependencies()).isEmpty();
        assertThat(app.knownExtras()).containsExactly("cpu", "cuda", "docs");
        assertThat(app.knownGroups()).containsExactly("dev", "legacy-stack", "lint");
    }

    @Test
    void reportsBadConflictItemsWithTheirLine() {
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", """
                version = 1
                conflicts = [[
                    { package = "app", extra = "a" },
                    { extra = "b" },
                ]]
                """))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:4: conflict item: field 'package': missing");
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", """
                version = 1
                conflicts = [{ package = "app", extra = "a" }]
                """))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock:2: field 'conflicts': expected arrays of { package, extra | group } tables");
    }

    @Test
    void refusesNestingDeeperThanALockNeedsWithoutOverflowingTheStack() {
        String deep = "version = 1\nx = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", deep))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock: more than 32 levels of nested arrays or inline tables, or a value longer than "
                        + "32 MiB; not a lock deploy reads");
        String deepTables = "version = 1\nx = " + "{ a = ".repeat(50) + "1" + " }".repeat(50) + "\n";
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", deepTables))
                .isInstanceOf(DeployException.class).hasMessageStartingWith("uv.lock: more than 32 levels");
        String dottedTables = "version = 1\n[" + "t.".repeat(10_000) + "end]\nx = 1\n";
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", dottedTables))
                .isInstanceOf(DeployException.class).hasMessageStartingWith("uv.lock: more than 32 levels");
        String broken = "version = 1\n" + "x = " + "[".repeat(20) + "]".repeat(20) + "\ny = [1,\n" + "[".repeat(100_000);
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", broken))
                .isInstanceOf(DeployException.class).hasMessageStartingWith("uv.lock: more than 32 levels");
    }

    @Test
    void refusesInputLargerThanDeployReadsBeforeParsingIt() {
        String huge = "version = 1\n# " + "x".repeat(TomlReader.MAX_CHARS) + "\n";
        assertThatThrownBy(() -> UvLockParser.parse("uv.lock", huge))
                .isInstanceOf(DeployException.class)
                .hasMessage("uv.lock: 32 MiB is more than deploy reads (32 MiB)");
    }

    @Test
    void readsRealWorldShapes() {
        String text = """
                version = 1
                revision = 2
                requires-python = ">=3.10"
                resolution-markers = [
                    "python_full_version >= '3.12' and sys_platform == 'linux'",
                    "python_full_version < '3.12' or sys_platform != 'linux'",
                ]

                [manifest]
                members = ["app", "shared"]

                [options]
                exclude-newer = "2025-01-01T00:00:00Z"

                [[package]]
                name = "app"
                source = { virtual = "." }
                dependencies = [
                    { name = "shared", editable = "packages/shared" },
                    { name = "tool", git = "https://github.com/example/tool?rev=v1#0123456789abcdef0123456789abcdef01234567" },
                ]

                [[package]]
                name = "shared"
                version = "0.3.0"
                source = { editable = "packages/shared" }

                [[package]]
                name = "tool"
                version = "1.0.0"
                source = { git = "https://github.com/example/tool?rev=v1#0123456789abcdef0123456789abcdef01234567" }

                [[package]]
                name = "local-wheel"
                version = "2.0"
                source = { path = "wheels/local_wheel-2.0-py3-none-any.whl" }
                wheels = [{ filename = "local_wheel-2.0-py3-none-any.whl", hash = "sha256:%s" }]

                [[package]]
                name = "dated"
                version = "1.0"
                source = { registry = "https://pypi.org/simple" }
                sdist = { url = "https://files.example/dated-1.0.tar.gz", hash = "sha256:%1$s", size = 10, upload-time = 2024-12-01T12:00:00Z }
                """.formatted("ab".repeat(32));
        UvLock lock = UvLockParser.parse("uv.lock", text);
        assertThat(lock.onlyPackageNamed("app").source()).isEqualTo(new PackageSource.Virtual("."));
        assertThat(lock.onlyPackageNamed("shared").source()).isEqualTo(new PackageSource.Editable("packages/shared"));
        assertThat(lock.onlyPackageNamed("local-wheel").wheels().get(0).file().location())
                .isEqualTo("wheels/local_wheel-2.0-py3-none-any.whl");
        assertThat(lock.onlyPackageNamed("dated").sdist().orElseThrow().size()).hasValue(10);
    }
}
