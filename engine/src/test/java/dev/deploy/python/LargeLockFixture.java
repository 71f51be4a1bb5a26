package dev.deploy.python;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a uv.lock shaped like LNbits' own (147 packages, about 0.45 MB, as its real lock): an editable root with
 * extras and a dev group, registry packages with markers, a python-version fork, native wheels for many platforms,
 * abi3 and pure-Python wheels, a git source, an sdist-only package and one with no wheel for CPython 3.11 and no
 * sdist. Names and versions are plausible; hashes are SHA-256 of the file name, so the output is deterministic.
 */
final class LargeLockFixture {

    static final String ROOT = "lnbits";

    private static final String PYPI = "https://pypi.org/simple";
    private static final List<String> CPYTHONS = List.of("cp310", "cp311", "cp312", "cp313");
    private static final List<String> NATIVE_PLATFORMS = List.of(
            "macosx_10_12_x86_64", "macosx_11_0_arm64",
            "manylinux_2_17_aarch64.manylinux2014_aarch64", "manylinux_2_17_x86_64.manylinux2014_x86_64",
            "musllinux_1_2_aarch64", "musllinux_1_2_x86_64", "win32", "win_amd64");

    /** How a package is distributed. */
    enum Dist {
        /** py3-none-any wheel and sdist. */
        PURE,
        /** py2.py3-none-any wheel and sdist. */
        PURE_UNIVERSAL,
        /** cp310..cp313 wheels for Linux (glibc and musl, two arches), macOS and Windows, and an sdist. */
        NATIVE,
        /** Native wheels as above plus a py3-none-any fallback. */
        NATIVE_WITH_PURE_FALLBACK,
        /** cp39-abi3 wheels (manylinux 2.28 and 2014, musllinux, macOS universal2, Windows) and an sdist. */
        ABI3,
        /** py3-none-{platform} wheels (one binary for all Pythons), no sdist. */
        PY3_PLATFORM,
        /** Only an sdist. */
        SDIST_ONLY,
        /** Wheels for cp312 and cp313 on manylinux only, no sdist. */
        NEWER_PYTHON_WHEELS_ONLY,
        /** Windows wheels only, no sdist. */
        WINDOWS_ONLY,
        /** A git checkout, nothing to download. */
        GIT,
        /** The project itself. */
        EDITABLE
    }

    private record Spec(String name, String version, Dist dist, List<String> dependencies,
                        Map<String, List<String>> extras, List<String> resolutionMarkers) {
    }

    private final List<Spec> specs = new ArrayList<>();
    private final List<String> devDependencies = new ArrayList<>();

    private LargeLockFixture() {
        define();
    }

    /** The lock text with packages sorted by name, as uv writes them. */
    static String text() {
        return new LargeLockFixture().render(null);
    }

    /** The same lock with its [[package]] tables in a shuffled order, to show order does not matter. */
    static String shuffledText(long seed) {
        return new LargeLockFixture().render(new Random(seed));
    }

    /** How many [[package]] tables the lock holds. */
    static int packageCount() {
        return new LargeLockFixture().specs.size();
    }

    private Spec pkg(String name, String version, Dist dist, String... dependencies) {
        Spec spec = new Spec(name, version, dist, List.of(dependencies), new LinkedHashMap<>(), new ArrayList<>());
        specs.add(spec);
        return spec;
    }

    private static void extra(Spec spec, String extra, String... dependencies) {
        spec.extras().put(extra, List.of(dependencies));
    }

    private static final String WINDOWS = "sys_platform == 'win32'";
    private static final String BEFORE_311 = "python_full_version < '3.11'";
    private static final String BEFORE_312 = "python_full_version < '3.12'";
    private static final String FROM_312 = "python_full_version >= '3.12'";

    private void define() {
        Spec root = pkg(ROOT, "1.0.0", Dist.EDITABLE,
                "aiosqlite", "asyncpg", "bcrypt", "bech32", "bolt11", "breez-sdk-liquid", "click", "ecdsa", "embit",
                "environs", "fastapi", "fastapi-sso", "filetype",
                "grpcio@1.62.3; " + BEFORE_312, "grpcio@1.68.1; " + FROM_312,
                "httpx", "itsdangerous", "jinja2", "jsonpath-ng", "lnurl", "loguru", "nostr-sdk", "packaging",
                "passlib[bcrypt]", "portalocker", "protobuf", "pycryptodomex", "pydantic", "pyjwt[crypto]",
                "pyln-client", "pyqrcode", "python-crontab", "python-multipart", "pywebpush", "secp256k1",
                "shortuuid", "slowapi", "sqlalchemy", "sse-starlette", "starlette", "typing-extensions",
                "uvicorn[standard]", "uvloop; sys_platform != 'win32'", "websocket-client", "websockets");
        extra(root, "liquid", "wallycore");
        extra(root, "migration", "psycopg2-binary");
        devDependencies.addAll(List.of("asgi-lifespan", "black", "grpcio-tools", "json5", "mock", "mypy", "openai",
                "openapi-spec-validator", "pre-commit", "pytest", "pytest-asyncio", "pytest-cov", "pytest-httpserver",
                "pytest-md", "pytest-mock", "ruff", "types-mock", "types-passlib", "types-protobuf", "types-requests"));

        pkg("aiohappyeyeballs", "2.4.4", Dist.PURE);
        pkg("aiohttp", "3.11.11", Dist.NATIVE, "aiohappyeyeballs", "aiosignal", "async-timeout; " + BEFORE_311,
                "attrs", "frozenlist", "multidict", "propcache", "yarl");
        pkg("aiosignal", "1.3.2", Dist.PURE, "frozenlist");
        pkg("aiosqlite", "0.20.0", Dist.PURE, "typing-extensions");
        pkg("annotated-types", "0.7.0", Dist.PURE);
        pkg("anyio", "4.8.0", Dist.PURE, "exceptiongroup; " + BEFORE_311, "idna", "sniffio",
                "typing-extensions; python_full_version < '3.13'");
        pkg("asgi-lifespan", "2.1.0", Dist.PURE, "sniffio");
        pkg("async-timeout", "5.0.1", Dist.PURE);
        pkg("asyncpg", "0.30.0", Dist.NATIVE, "async-timeout; " + BEFORE_311);
        pkg("attrs", "24.3.0", Dist.PURE);
        pkg("base58", "2.1.1", Dist.PURE);
        pkg("bcrypt", "4.2.1", Dist.ABI3);
        pkg("bech32", "1.2.0", Dist.PURE);
        pkg("bitarray", "3.0.0", Dist.NATIVE);
        pkg("bitstring", "4.3.0", Dist.PURE, "bitarray");
        pkg("black", "24.10.0", Dist.NATIVE_WITH_PURE_FALLBACK, "click", "mypy-extensions", "packaging", "pathspec",
                "platformdirs", "tomli; " + BEFORE_311, "typing-extensions; " + BEFORE_311);
        pkg("bolt11", "2.1.0", Dist.PURE, "base58", "bech32", "bitstring", "click", "coincurve");
        pkg("breez-sdk-liquid", "0.5.1", Dist.NEWER_PYTHON_WHEELS_ONLY);
        pkg("certifi", "2024.12.14", Dist.PURE);
        pkg("cffi", "1.17.1", Dist.NATIVE, "pycparser");
        pkg("cfgv", "3.4.0", Dist.PURE_UNIVERSAL);
        pkg("charset-normalizer", "3.4.1", Dist.NATIVE_WITH_PURE_FALLBACK);
        pkg("click", "8.1.8", Dist.PURE, "colorama; platform_system == 'Windows'");
        pkg("coincurve", "20.0.0", Dist.NATIVE, "asn1crypto", "cffi");
        pkg("asn1crypto", "1.5.1", Dist.PURE_UNIVERSAL);
        pkg("colorama", "0.4.6", Dist.PURE_UNIVERSAL);
        pkg("coverage", "7.6.10", Dist.NATIVE_WITH_PURE_FALLBACK);
        Spec coverage = specs.get(specs.size() - 1);
        extra(coverage, "toml", "tomli; python_full_version <= '3.11.0a6'");
        pkg("cryptography", "44.0.0", Dist.ABI3, "cffi; platform_python_implementation != 'PyPy'");
        pkg("deprecated", "1.2.15", Dist.PURE_UNIVERSAL, "wrapt");
        pkg("distlib", "0.3.9", Dist.PURE_UNIVERSAL);
        pkg("distro", "1.9.0", Dist.PURE);
        pkg("dnspython", "2.7.0", Dist.PURE);
        pkg("ecdsa", "0.19.0", Dist.PURE_UNIVERSAL, "six");
        pkg("email-validator", "2.2.0", Dist.PURE, "dnspython", "idna");
        pkg("embit", "0.8.0", Dist.PURE);
        pkg("environs", "11.2.1", Dist.PURE, "marshmallow", "python-dotenv");
        pkg("exceptiongroup", "1.2.2", Dist.PURE);
        pkg("fastapi", "0.115.6", Dist.PURE, "pydantic", "starlette", "typing-extensions");
        pkg("fastapi-sso", "0.16.0", Dist.PURE, "fastapi", "httpx", "oauthlib", "pydantic[email]");
        pkg("filelock", "3.16.1", Dist.PURE);
        pkg("filetype", "1.2.0", Dist.PURE_UNIVERSAL);
        pkg("frozenlist", "1.5.0", Dist.NATIVE_WITH_PURE_FALLBACK);
        pkg("greenlet", "3.1.1", Dist.NATIVE);
        specs.add(new Spec("grpcio", "1.62.3", Dist.NATIVE, List.of(), Map.of(), List.of(BEFORE_312)));
        specs.add(new Spec("grpcio", "1.68.1", Dist.NATIVE, List.of(), Map.of(), List.of(FROM_312)));
        pkg("grpcio-tools", "1.62.3", Dist.NATIVE, "protobuf", "setuptools");
        pkg("h11", "0.14.0", Dist.PURE);
        pkg("http-ece", "1.2.1", Dist.PURE, "cryptography");
        pkg("httpcore", "1.0.7", Dist.PURE, "certifi", "h11");
        pkg("httptools", "0.6.4", Dist.NATIVE);
        pkg("httpx", "0.28.1", Dist.PURE, "anyio", "certifi", "httpcore", "idna");
        pkg("identify", "2.6.5", Dist.PURE);
        pkg("idna", "3.10", Dist.PURE);
        pkg("iniconfig", "2.0.0", Dist.PURE);
        pkg("itsdangerous", "2.2.0", Dist.PURE);
        pkg("jinja2", "3.1.5", Dist.PURE, "markupsafe");
        pkg("jiter", "0.8.2", Dist.NATIVE);
        pkg("json5", "0.10.0", Dist.PURE);
        pkg("jsonpath-ng", "1.7.0", Dist.PURE, "ply");
        pkg("jsonschema", "4.23.0", Dist.PURE, "attrs", "jsonschema-specifications", "referencing", "rpds-py");
        pkg("jsonschema-path", "0.3.3", Dist.PURE, "pathable", "pyyaml", "referencing", "requests");
        pkg("jsonschema-specifications", "2024.10.1", Dist.PURE, "referencing");
        pkg("lazy-object-proxy", "1.10.0", Dist.NATIVE_WITH_PURE_FALLBACK);
        pkg("limits", "3.14.1", Dist.PURE, "deprecated", "packaging", "typing-extensions");
        pkg("lnurl", "0.5.3", Dist.PURE, "bech32", "bolt11", "ecdsa", "httpx", "pydantic");
        pkg("loguru", "0.7.3", Dist.PURE, "colorama; " + WINDOWS, "win32-setctime; " + WINDOWS);
        pkg("markupsafe", "3.0.2", Dist.NATIVE);
        pkg("marshmallow", "3.25.0", Dist.PURE, "packaging");
        pkg("mock", "5.1.0", Dist.PURE);
        pkg("multidict", "6.1.0", Dist.NATIVE_WITH_PURE_FALLBACK, "typing-extensions; python_full_version < '3.11'");
        pkg("mypy", "1.14.1", Dist.NATIVE_WITH_PURE_FALLBACK, "mypy-extensions", "tomli; " + BEFORE_311,
                "typing-extensions");
        pkg("mypy-extensions", "1.0.0", Dist.PURE);
        pkg("nodeenv", "1.9.1", Dist.PURE_UNIVERSAL);
        pkg("nostr-sdk", "0.38.0", Dist.PY3_PLATFORM);
        pkg("oauthlib", "3.2.2", Dist.PURE);
        pkg("openai", "1.59.3", Dist.PURE, "anyio", "distro", "httpx", "jiter", "pydantic", "sniffio", "tqdm",
                "typing-extensions");
        pkg("openapi-schema-validator", "0.6.2", Dist.PURE, "jsonschema", "jsonschema-specifications",
                "rfc3339-validator");
        pkg("openapi-spec-validator", "0.7.1", Dist.PURE, "jsonschema", "jsonschema-path", "lazy-object-proxy",
                "openapi-schema-validator");
        pkg("packaging", "24.2", Dist.PURE);
        pkg("passlib", "1.7.4", Dist.PURE_UNIVERSAL);
        extra(specs.get(specs.size() - 1), "bcrypt", "bcrypt");
        pkg("pathable", "0.4.3", Dist.PURE);
        pkg("pathspec", "0.12.1", Dist.PURE);
        pkg("platformdirs", "4.3.6", Dist.PURE);
        pkg("pluggy", "1.5.0", Dist.PURE);
        pkg("ply", "3.11", Dist.PURE_UNIVERSAL);
        pkg("portalocker", "3.1.1", Dist.PURE, "pywin32; platform_system == 'Windows'");
        pkg("pre-commit", "4.0.1", Dist.PURE, "cfgv", "identify", "nodeenv", "pyyaml", "virtualenv");
        pkg("propcache", "0.2.1", Dist.NATIVE_WITH_PURE_FALLBACK);
        pkg("protobuf", "5.29.2", Dist.ABI3);
        pkg("psycopg2-binary", "2.9.10", Dist.NATIVE);
        pkg("py-vapid", "1.9.2", Dist.PURE, "cryptography");
        pkg("pycparser", "2.22", Dist.PURE);
        pkg("pycryptodomex", "3.21.0", Dist.ABI3);
        pkg("pydantic", "2.10.4", Dist.PURE, "annotated-types", "pydantic-core", "typing-extensions");
        extra(specs.get(specs.size() - 1), "email", "email-validator");
        pkg("pydantic-core", "2.27.2", Dist.NATIVE, "typing-extensions");
        pkg("pyjwt", "2.10.1", Dist.PURE);
        extra(specs.get(specs.size() - 1), "crypto", "cryptography");
        pkg("pyln-client", "24.11", Dist.GIT, "pyln-proto");
        pkg("pyln-proto", "24.11", Dist.PURE, "base58", "bitstring", "coincurve", "cryptography", "pysocks");
        pkg("pyqrcode", "1.2.1", Dist.SDIST_ONLY);
        pkg("pysocks", "1.7.1", Dist.PURE);
        pkg("pytest", "8.3.4", Dist.PURE, "colorama; " + WINDOWS, "exceptiongroup; " + BEFORE_311, "iniconfig",
                "packaging", "pluggy", "tomli; " + BEFORE_311);
        pkg("pytest-asyncio", "0.25.1", Dist.PURE, "pytest");
        pkg("pytest-cov", "6.0.0", Dist.PURE, "coverage[toml]", "pytest");
        pkg("pytest-httpserver", "1.1.0", Dist.PURE, "werkzeug");
        pkg("pytest-md", "0.2.0", Dist.PURE, "pytest");
        pkg("pytest-mock", "3.14.0", Dist.PURE, "pytest");
        pkg("python-crontab", "3.2.0", Dist.PURE, "python-dateutil");
        pkg("python-dateutil", "2.9.0.post0", Dist.PURE_UNIVERSAL, "six");
        pkg("python-dotenv", "1.0.1", Dist.PURE);
        pkg("python-multipart", "0.0.20", Dist.PURE);
        pkg("pywebpush", "2.0.1", Dist.PURE, "aiohttp", "cryptography", "http-ece", "py-vapid", "requests", "six");
        pkg("pywin32", "308", Dist.WINDOWS_ONLY);
        pkg("pyyaml", "6.0.2", Dist.NATIVE);
        pkg("referencing", "0.35.1", Dist.PURE, "attrs", "rpds-py");
        pkg("requests", "2.32.3", Dist.PURE, "certifi", "charset-normalizer", "idna", "urllib3");
        pkg("rfc3339-validator", "0.1.4", Dist.PURE_UNIVERSAL, "six");
        pkg("rpds-py", "0.22.3", Dist.NATIVE);
        pkg("ruff", "0.8.6", Dist.PY3_PLATFORM);
        pkg("secp256k1", "0.14.0", Dist.SDIST_ONLY, "cffi");
        pkg("setuptools", "75.6.0", Dist.PURE);
        pkg("shortuuid", "1.0.13", Dist.PURE);
        pkg("six", "1.17.0", Dist.PURE_UNIVERSAL);
        pkg("slowapi", "0.1.9", Dist.PURE, "limits");
        pkg("sniffio", "1.3.1", Dist.PURE);
        pkg("sqlalchemy", "1.4.54", Dist.NATIVE, "greenlet; (python_full_version < '3.13' and platform_machine == "
                + "'AMD64') or (python_full_version < '3.13' and platform_machine == 'WIN32') or (python_full_version"
                + " < '3.13' and platform_machine == 'aarch64') or (python_full_version < '3.13' and platform_machine"
                + " == 'amd64') or (python_full_version < '3.13' and platform_machine == 'ppc64le') or"
                + " (python_full_version < '3.13' and platform_machine == 'win32') or (python_full_version < '3.13'"
                + " and platform_machine == 'x86_64')");
        pkg("sse-starlette", "2.2.1", Dist.PURE, "anyio", "starlette");
        pkg("starlette", "0.41.3", Dist.PURE, "anyio");
        pkg("tomli", "2.2.1", Dist.NATIVE_WITH_PURE_FALLBACK);
        pkg("tqdm", "4.67.1", Dist.PURE, "colorama; " + WINDOWS);
        pkg("types-mock", "5.1.0.20240425", Dist.PURE);
        pkg("types-passlib", "1.7.7.20241221", Dist.PURE);
        pkg("types-protobuf", "5.29.1.20241207", Dist.PURE);
        pkg("types-requests", "2.32.0.20241016", Dist.PURE, "urllib3");
        pkg("typing-extensions", "4.12.2", Dist.PURE);
        pkg("urllib3", "2.3.0", Dist.PURE);
        pkg("uvicorn", "0.34.0", Dist.PURE, "click", "h11", "typing-extensions; " + BEFORE_311);
        extra(specs.get(specs.size() - 1), "standard", "colorama; " + WINDOWS, "httptools", "python-dotenv", "pyyaml",
                "uvloop; platform_python_implementation != 'PyPy' and sys_platform != 'cygwin' and sys_platform != "
                        + "'win32'", "watchfiles", "websockets");
        pkg("uvloop", "0.21.0", Dist.NATIVE);
        pkg("virtualenv", "20.28.1", Dist.PURE, "distlib", "filelock", "platformdirs");
        pkg("wallycore", "1.3.1", Dist.NATIVE);
        pkg("watchfiles", "1.0.3", Dist.NATIVE, "anyio");
        pkg("websocket-client", "1.8.0", Dist.PURE);
        pkg("websockets", "14.1", Dist.NATIVE_WITH_PURE_FALLBACK);
        pkg("werkzeug", "3.1.3", Dist.PURE, "markupsafe");
        pkg("win32-setctime", "1.2.0", Dist.PURE);
        pkg("wrapt", "1.17.0", Dist.NATIVE);
        pkg("yarl", "1.18.3", Dist.NATIVE_WITH_PURE_FALLBACK, "idna", "multidict", "propcache");
    }

    private String render(Random shuffle) {
        List<Spec> ordered = new ArrayList<>(specs);
        ordered.sort(Comparator.comparing(Spec::name).thenComparing(spec -> Pep440Version.parse(spec.version())));
        if (shuffle != null) {
            java.util.Collections.shuffle(ordered, shuffle);
        }
        StringBuilder out = new StringBuilder();
        out.append("version = 1\nrevision = 3\nrequires-python = \">=3.10\"\n");
        out.append("resolution-markers = [\n    \"").append(FROM_312).append("\",\n    \"").append(BEFORE_312)
                .append("\",\n]\n");
        for (Spec spec : ordered) {
            renderPackage(out, spec);
        }
        return out.toString();
    }

    private void renderPackage(StringBuilder out, Spec spec) {
        out.append("\n[[package]]\n");
        out.append("name = \"").append(spec.name()).append("\"\n");
        out.append("version = \"").append(spec.version()).append("\"\n");
        out.append("source = ").append(source(spec)).append('\n');
        if (!spec.resolutionMarkers().isEmpty()) {
            out.append("resolution-markers = [\n");
            spec.resolutionMarkers().forEach(m -> out.append("    \"").append(m).append("\",\n"));
            out.append("]\n");
        }
        dependencyArray(out, "dependencies", spec.dependencies());
        distributions(out, spec);
        if (!spec.extras().isEmpty()) {
            out.append("\n[package.optional-dependencies]\n");
            spec.extras().forEach((extra, deps) -> dependencyArray(out, extra, deps));
        }
        if (spec.dist() == Dist.EDITABLE) {
            out.append("\n[package.dev-dependencies]\n");
            dependencyArray(out, "dev", devDependencies);
            out.append("\n[package.metadata]\nrequires-dist = [\n");
            for (String dep : spec.dependencies()) {
                out.append("    { name = \"").append(nameOf(dep)).append("\" },\n");
            }
            out.append("]\nprovides-extras = [").append(String.join(", ", spec.extras().keySet().stream()
                    .map(extra -> "\"" + extra + "\"").toList())).append("]\n");
            out.append("\n[package.metadata.requires-dev]\ndev = [\n");
            devDependencies.forEach(dep -> out.append("    { name = \"").append(dep).append("\" },\n"));
            out.append("]\n");
        }
    }

    private static String source(Spec spec) {
        return switch (spec.dist()) {
            case EDITABLE -> "{ editable = \".\" }";
            case GIT -> "{ git = \"https://github.com/ElementsProject/lightning?subdirectory=contrib%2F" + spec.name()
                    + "&rev=v" + spec.version() + "#" + hex("git " + spec.name()).substring(0, 40) + "\" }";
            default -> "{ registry = \"" + PYPI + "\" }";
        };
    }

    private void dependencyArray(StringBuilder out, String key, List<String> dependencies) {
        if (dependencies.isEmpty()) {
            return;
        }
        out.append(key).append(" = [\n");
        dependencies.stream().sorted(Comparator.comparing(LargeLockFixture::nameOf)).forEach(dep -> {
            String name = nameOf(dep);
            out.append("    { name = \"").append(name).append('"');
            int at = dep.indexOf('@');
            if (at >= 0) {
                out.append(", version = \"").append(dep.substring(at + 1, end(dep, ';'))).append('"')
                        .append(", source = { registry = \"").append(PYPI).append("\" }");
            }
            int bracket = dep.indexOf('[');
            if (bracket >= 0) {
                String extras = dep.substring(bracket + 1, dep.indexOf(']'));
                out.append(", extra = [\"").append(extras.replace(",", "\", \"")).append("\"]");
            }
            int semicolon = dep.indexOf(';');
            if (semicolon >= 0) {
                out.append(", marker = \"").append(dep.substring(semicolon + 1).strip()).append('"');
            }
            out.append(" },\n");
        });
        out.append("]\n");
    }

    private static String nameOf(String dep) {
        int end = dep.length();
        for (char c : new char[] {'@', '[', ';'}) {
            int i = dep.indexOf(c);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        return dep.substring(0, end).strip();
    }

    private static int end(String text, char c) {
        int i = text.indexOf(c);
        return i < 0 ? text.length() : i;
    }

    private static void distributions(StringBuilder out, Spec spec) {
        String file = spec.name().replace('-', '_') + "-" + spec.version();
        List<String> wheels = new ArrayList<>();
        boolean sdist = true;
        switch (spec.dist()) {
            case PURE -> wheels.add(file + "-py3-none-any.whl");
            case PURE_UNIVERSAL -> wheels.add(file + "-py2.py3-none-any.whl");
            case NATIVE, NATIVE_WITH_PURE_FALLBACK -> {
                for (String cp : CPYTHONS) {
                    for (String platform : NATIVE_PLATFORMS) {
                        wheels.add(file + "-" + cp + "-" + cp + "-" + platform + ".whl");
                    }
                }
                if (spec.dist() == Dist.NATIVE_WITH_PURE_FALLBACK) {
                    wheels.add(file + "-py3-none-any.whl");
                }
            }
            case ABI3 -> {
                for (String platform : List.of("macosx_10_9_universal2", "manylinux_2_17_aarch64.manylinux2014_aarch64",
                        "manylinux_2_17_x86_64.manylinux2014_x86_64", "manylinux_2_28_aarch64",
                        "manylinux_2_28_x86_64", "musllinux_1_2_aarch64", "musllinux_1_2_x86_64", "win32",
                        "win_amd64")) {
                    wheels.add(file + "-cp39-abi3-" + platform + ".whl");
                }
            }
            case PY3_PLATFORM -> {
                for (String platform : List.of("macosx_11_0_arm64", "manylinux_2_17_aarch64.manylinux2014_aarch64",
                        "manylinux_2_17_x86_64.manylinux2014_x86_64", "musllinux_1_2_x86_64", "win_amd64")) {
                    wheels.add(file + "-py3-none-" + platform + ".whl");
                }
                sdist = false;
            }
            case SDIST_ONLY -> {
            }
            case NEWER_PYTHON_WHEELS_ONLY -> {
                for (String cp : List.of("cp312", "cp313")) {
                    wheels.add(file + "-" + cp + "-" + cp + "-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
                }
                sdist = false;
            }
            case WINDOWS_ONLY -> {
                for (String cp : CPYTHONS) {
                    wheels.add(file + "-" + cp + "-" + cp + "-win_amd64.whl");
                    wheels.add(file + "-" + cp + "-" + cp + "-win32.whl");
                }
                sdist = false;
            }
            case GIT, EDITABLE -> sdist = false;
        }
        if (sdist) {
            out.append("sdist = ").append(fileEntry(file + ".tar.gz")).append('\n');
        }
        if (!wheels.isEmpty()) {
            out.append("wheels = [\n");
            wheels.forEach(wheel -> out.append("    ").append(fileEntry(wheel)).append(",\n"));
            out.append("]\n");
        }
    }

    private static String fileEntry(String fileName) {
        String hash = hex(fileName);
        long size = 10_000 + Long.parseLong(hash.substring(0, 6), 16);
        return "{ url = \"https://files.pythonhosted.org/packages/" + hash.substring(0, 2) + "/" + hash.substring(2, 4)
                + "/" + hash.substring(4, 64) + "/" + fileName + "\", hash = \"sha256:" + hash + "\", size = " + size
                + ", upload-time = \"2024-12-1" + (size % 10) + "T12:00:00.000Z\" }";
    }

    private static String hex(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
