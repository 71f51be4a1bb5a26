package dev.deploy.python;

import dev.deploy.DeployException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VenvResolverTest {

    private static final TargetEnvironment DEBIAN12 = TargetEnvironment.glibcLinux("3.11.2", "x86_64", 2, 36);
    private static final TargetEnvironment UBUNTU2204 = TargetEnvironment.glibcLinux("3.10.12", "x86_64", 2, 35);
    private static final TargetEnvironment DEBIAN13 = TargetEnvironment.glibcLinux("3.12.8", "x86_64", 2, 41);
    private static final TargetEnvironment ALPINE = TargetEnvironment.muslLinux("3.11.11", "x86_64", 1, 2);
    private static final TargetEnvironment DEBIAN12_ARM = TargetEnvironment.glibcLinux("3.11.2", "aarch64", 2, 36);

    private static final UvLock SMALL = UvLockParserTest.smallLock();
    private static final UvLock LARGE = UvLockParser.parse("uv.lock", LargeLockFixture.text());

    @Test
    void followsDefaultDependenciesAndRequestedExtrasButNotTheProjectItself() {
        VenvResolution venv = VenvResolver.resolve(SMALL, DEBIAN12, "demo-app");
        assertThat(venv.project().name()).isEqualTo("demo-app");
        assertThat(venv.names()).containsExactly("anyio", "cffi", "click", "h11", "httptools", "idna", "numpy",
                "pycparser", "pyln-client", "secp256k1", "sniffio", "typing-extensions", "uvicorn", "uvloop",
                "websockets");
    }

    @Test
    void leavesOutEdgesWhoseMarkersFailOnTheHostAndDevGroups() {
        VenvResolution venv = VenvResolver.resolve(SMALL, DEBIAN12, "demo-app");
        assertThat(venv.names()).doesNotContain("colorama", "exceptiongroup", "pytest", "pluggy", "asyncpg");
        VenvResolution older = VenvResolver.resolve(SMALL, UBUNTU2204, "demo-app");
        assertThat(older.names()).contains("exceptiongroup").doesNotContain("colorama");
    }

    @Test
    void picksTheForkedVersionMatchingTheHostPython() {
        assertThat(describe(VenvResolver.resolve(SMALL, DEBIAN12, "demo-app")).get("numpy")).isEqualTo(
                "numpy 1.26.4: wheel numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
        assertThat(describe(VenvResolver.resolve(SMALL, DEBIAN13, "demo-app")).get("numpy")).isEqualTo(
                "numpy 2.1.0: wheel numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    }

    @Test
    void reportsSdistOnlyAndSourceTreePackages() {
        VenvResolution venv = VenvResolver.resolve(SMALL, DEBIAN12, "demo-app");
        assertThat(venv.withoutWheel()).extracting(ResolvedPackage::describe).containsExactly(
                "pyln-client 24.11: built from source (git https://github.com/ElementsProject/lightning?subdirectory="
                        + "contrib%2Fpyln-client&rev=v24.11#3f2b6a4e5c1d0f9e8b7a6c5d4e3f2a1b0c9d8e7f)",
                "secp256k1 0.14.0: no fitting wheel (sdist only: secp256k1-0.14.0.tar.gz)");
        VenvResolution older = VenvResolver.resolve(SMALL, UBUNTU2204, "demo-app");
        assertThat(older.withoutWheel()).extracting(ResolvedPackage::name)
                .containsExactly("cffi", "httptools", "numpy", "pyln-client", "secp256k1", "uvloop");
    }

    @Test
    void prefersNativeWheelsOverPurePythonFallbacks() {
        assertThat(describe(VenvResolver.resolve(SMALL, DEBIAN12, "demo-app")).get("websockets")).isEqualTo(
                "websockets 14.1: wheel websockets-14.1-cp311-cp311-manylinux_2_5_x86_64.manylinux1_x86_64."
                        + "manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    }

    @Test
    void installsProjectExtrasWhenAsked() {
        VenvResolution venv = VenvResolver.resolve(SMALL, ALPINE, "demo-app", Set.of("Postgres"));
        assertThat(describe(venv).get("asyncpg"))
                .isEqualTo("asyncpg 0.30.0: wheel asyncpg-0.30.0-cp311-cp311-musllinux_1_2_x86_64.whl");
        assertThatThrownBy(() -> VenvResolver.resolve(SMALL, ALPINE, "demo-app", Set.of("mysql")))
                .isInstanceOf(DeployException.class)
                .hasMessage("small-uv.lock:72: package 'demo-app': has no extra 'mysql'; it has [postgres]");
    }

    @Test
    void refusesHostsOutsideRequiresPython() {
        assertThatThrownBy(() -> VenvResolver.resolve(SMALL, TargetEnvironment.glibcLinux("3.9.2", "x86_64", 2, 31),
                "demo-app"))
                .isInstanceOf(DeployException.class)
                .hasMessage("small-uv.lock: requires-python '>=3.10' excludes the host's Python 3.9.2");
    }

    @Test
    void refusesProjectsTheLockLacks() {
        assertThatThrownBy(() -> VenvResolver.resolve(SMALL, DEBIAN12, "lnbits"))
                .isInstanceOf(DeployException.class)
                .hasMessage("small-uv.lock: package 'lnbits': not in the lock");
    }

    @Test
    void resolvesTheLargeLockToExactlyThePackagesTheHostNeeds() {
        VenvResolution venv = VenvResolver.resolve(LARGE, DEBIAN12, LargeLockFixture.ROOT);
        assertThat(venv.names()).containsExactly(
                "aiohappyeyeballs", "aiohttp", "aiosignal", "aiosqlite", "annotated-types", "anyio", "asn1crypto",
                "asyncpg", "attrs", "base58", "bcrypt", "bech32", "bitarray", "bitstring", "bolt11",
                "breez-sdk-liquid", "certifi", "cffi", "charset-normalizer", "click", "coincurve", "cryptography",
                "deprecated", "dnspython", "ecdsa", "email-validator", "embit", "environs", "fastapi", "fastapi-sso",
                "filetype", "frozenlist", "greenlet", "grpcio", "h11", "http-ece", "httpcore", "httptools", "httpx",
                "idna", "itsdangerous", "jinja2", "jsonpath-ng", "limits", "lnurl", "loguru", "markupsafe",
                "marshmallow", "multidict", "nostr-sdk", "oauthlib", "packaging", "passlib", "ply", "portalocker",
                "propcache", "protobuf", "py-vapid", "pycparser", "pycryptodomex", "pydantic", "pydantic-core",
                "pyjwt", "pyln-client", "pyln-proto", "pyqrcode", "pysocks", "python-crontab", "python-dateutil",
                "python-dotenv", "python-multipart", "pywebpush", "pyyaml", "requests", "secp256k1", "shortuuid",
                "six", "slowapi", "sniffio", "sqlalchemy", "sse-starlette", "starlette", "typing-extensions",
                "urllib3", "uvicorn", "uvloop", "watchfiles", "websocket-client", "websockets", "wrapt", "yarl");
    }

    @Test
    void largeLockResolutionExcludesMarkerExcludedDevAndUnrequestedExtraPackages() {
        VenvResolution venv = VenvResolver.resolve(LARGE, DEBIAN12, LargeLockFixture.ROOT);
        assertThat(venv.names()).doesNotContain(
                "colorama", "win32-setctime", "pywin32",            // Windows only
                "exceptiongroup", "async-timeout", "tomli",         // Python < 3.11 only
                "pytest", "black", "mypy", "ruff", "pre-commit",    // dev group
                "wallycore", "psycopg2-binary");                    // extras nobody asked for
        assertThat(describe(venv).get("grpcio")).startsWith("grpcio 1.62.3: wheel grpcio-1.62.3-cp311-cp311-manylinux");
        VenvResolution onArm = VenvResolver.resolve(LARGE, DEBIAN12_ARM, LargeLockFixture.ROOT);
        assertThat(onArm.names()).contains("greenlet");
        VenvResolution on313 = VenvResolver.resolve(LARGE, TargetEnvironment.glibcLinux("3.13.1", "x86_64", 2, 41),
                LargeLockFixture.ROOT);
        assertThat(on313.names()).doesNotContain("greenlet");
        assertThat(describe(on313).get("grpcio")).startsWith("grpcio 1.68.1: wheel grpcio-1.68.1-cp313-cp313-manylinux");
    }

    @Test
    void largeLockResolutionListsPackagesWithoutAFittingWheel() {
        VenvResolution venv = VenvResolver.resolve(LARGE, DEBIAN12, LargeLockFixture.ROOT);
        PackageSource pylnClient = LARGE.onlyPackageNamed("pyln-client").source();
        assertThat(pylnClient.toString()).startsWith("git https://github.com/ElementsProject/lightning?");
        assertThat(venv.withoutWheel()).extracting(ResolvedPackage::describe).containsExactly(
                "breez-sdk-liquid 0.5.1: no fitting wheel and no sdist",
                "pyln-client 24.11: built from source (" + pylnClient + ")",
                "pyqrcode 1.2.1: no fitting wheel (sdist only: pyqrcode-1.2.1.tar.gz)",
                "secp256k1 0.14.0: no fitting wheel (sdist only: secp256k1-0.14.0.tar.gz)");
        assertThat(describe(venv)).containsEntry("cryptography",
                "cryptography 44.0.0: wheel cryptography-44.0.0-cp39-abi3-manylinux_2_28_x86_64.whl");
        assertThat(describe(venv)).containsEntry("nostr-sdk",
                "nostr-sdk 0.38.0: wheel nostr_sdk-0.38.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    }

    @Test
    void largeLockResolutionIsDeterministicWhateverThePackageOrder() {
        VenvResolution sorted = VenvResolver.resolve(LARGE, DEBIAN12, LargeLockFixture.ROOT);
        for (long seed = 1; seed <= 3; seed++) {
            UvLock shuffled = UvLockParser.parse("uv.lock", LargeLockFixture.shuffledText(seed));
            VenvResolution again = VenvResolver.resolve(shuffled, DEBIAN12, LargeLockFixture.ROOT);
            assertThat(again.packages()).extracting(ResolvedPackage::describe)
                    .containsExactlyElementsOf(sorted.packages().stream().map(ResolvedPackage::describe).toList());
        }
        assertThat(sorted.names()).isSorted();
    }

    @Test
    void largeLockOnAlpinePicksMusllinuxWheels() {
        Map<String, String> venv = describe(VenvResolver.resolve(LARGE, ALPINE, LargeLockFixture.ROOT));
        assertThat(venv.get("pydantic-core"))
                .isEqualTo("pydantic-core 2.27.2: wheel pydantic_core-2.27.2-cp311-cp311-musllinux_1_2_x86_64.whl");
        assertThat(venv.get("bcrypt")).isEqualTo("bcrypt 4.2.1: wheel bcrypt-4.2.1-cp39-abi3-musllinux_1_2_x86_64.whl");
    }

    private static Map<String, String> describe(VenvResolution venv) {
        return venv.packages().stream().collect(Collectors.toMap(ResolvedPackage::name, ResolvedPackage::describe));
    }
}
