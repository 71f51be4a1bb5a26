package dev.deploy.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.deploy.DeployException;
import dev.deploy.inventory.InventoryLoader;
import dev.deploy.module.ModuleLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The JSON Schemas in {@code schema/} (draft 2020-12, checked with networknt's json-schema-validator): they are valid
 * schemas, every bundled module and example inventory validates and names its schema for editors
 * ({@code # yaml-language-server: $schema=...}), and input the loaders reject is rejected by the schemas too.
 */
class SchemaValidationTest {

    private static final Path REPO = SchemaAgreementTest.REPO;
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Schema INVENTORY = schema("inventory");
    private static final Schema MODULE = schema("module");

    @TempDir
    Path tmp;

    private static Schema schema(String kind) {
        try {
            return REGISTRY.getSchema(Files.readString(REPO.resolve("schema/" + kind + ".schema.json")), InputFormat.JSON);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<Path> modules() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> bundled = Files.list(REPO.resolve("modules"))) {
            bundled.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        try (Stream<Path> coverage = Files.list(SchemaAgreementTest.COVERAGE.resolve("modules"))) {
            coverage.sorted().forEach(files::add);
        }
        return files.stream();
    }

    static Stream<Path> inventories() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> examples = Files.list(REPO.resolve("inventory-examples"))) {
            examples.map(dir -> dir.resolve("inventory.yaml")).filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        files.add(SchemaAgreementTest.COVERAGE.resolve("inventory.yaml"));
        return files.stream();
    }

    @Test
    void theSchemasAreValidDraft202012Schemas() throws IOException {
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        for (String kind : List.of("inventory", "module")) {
            String schema = Files.readString(REPO.resolve("schema/" + kind + ".schema.json"));
            assertThat(messages(metaSchema.validate(schema, InputFormat.JSON))).as(kind).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("modules")
    void everyModuleValidates(Path module) throws IOException {
        assertThat(messages(MODULE.validate(asJson(module), InputFormat.JSON))).as(module.toString()).isEmpty();
        ModuleLoader.load(module, module.getFileName().toString().replace(".yaml", ""));
    }

    @ParameterizedTest
    @MethodSource("inventories")
    void everyExampleInventoryValidates(Path inventory) throws IOException {
        assertThat(messages(INVENTORY.validate(asJson(inventory), InputFormat.JSON))).as(inventory.toString()).isEmpty();
        InventoryLoader.load(inventory);
    }

    @ParameterizedTest
    @MethodSource({"modules", "inventories"})
    void everyFileNamesItsSchemaForEditors(Path file) throws IOException {
        String first = Files.readAllLines(file).get(0);
        String prefix = "# yaml-language-server: $schema=";
        assertThat(first).startsWith(prefix);
        Path schema = file.getParent().resolve(first.substring(prefix.length())).normalize();
        String kind = file.getFileName().toString().equals("inventory.yaml") ? "inventory" : "module";
        assertThat(schema).isEqualTo(REPO.resolve("schema/" + kind + ".schema.json"));
    }

    /**
     * The YAML examples of README.md and docs/*.md that are inventories or modules, whole or excerpts (top-level keys
     * all of one kind; an indented block is taken as its indentation puts it): they validate, apart from the required
     * top-level fields a snippet leaves out, and any required field in a block whose first line says "(excerpt)".
     */
    @Test
    void everyInventoryAndModuleExampleInTheDocsValidates() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(REPO.resolve("README.md")));
        try (Stream<Path> more = Files.list(REPO.resolve("docs"))) {
            more.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        Set<String> inventoryKeys = topLevelKeys("inventory");
        Set<String> moduleKeys = topLevelKeys("module");
        Pattern block = Pattern.compile("^( *)```ya?ml\n(.*?)^\\1```", Pattern.MULTILINE | Pattern.DOTALL);
        int checked = 0;
        for (Path doc : docs) {
            String text = Files.readString(doc);
            Matcher example = block.matcher(text);
            while (example.find()) {
                String indent = example.group(1);
                String yaml = example.group(2).lines()
                        .map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line)
                        .collect(Collectors.joining("\n"));
                String where = REPO.relativize(doc) + ":" + (text.substring(0, example.start()).split("\n", -1).length);
                if (!(new Load(LoadSettings.builder().build()).loadFromString(yaml) instanceof Map<?, ?> map)
                        || map.isEmpty()) {
                    continue;
                }
                Set<String> keys = map.keySet().stream().map(String::valueOf).collect(Collectors.toSet());
                Schema schema = inventoryKeys.containsAll(keys) ? INVENTORY : moduleKeys.containsAll(keys) ? MODULE : null;
                if (schema == null) {
                    continue;
                }
                boolean excerpt = yaml.lines().findFirst().orElse("").matches("#.*\\(excerpt\\).*");
                String json = new ObjectMapper().writeValueAsString(map);
                List<String> errors = schema.validate(json, InputFormat.JSON).stream()
                        .filter(e -> !("required".equals(e.getKeyword())
                                && (excerpt || e.getInstanceLocation().getNameCount() == 0)))
                        .map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
                assertThat(errors).as(where + ":\n" + yaml).isEmpty();
                checked++;
            }
        }
        assertThat(checked).as("examples checked").isGreaterThanOrEqualTo(8);
    }

    private static Set<String> topLevelKeys(String kind) throws IOException {
        Set<String> keys = new TreeSet<>();
        new ObjectMapper().readTree(REPO.resolve("schema/" + kind + ".schema.json").toFile()).get("properties")
                .fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void inventoriesTheLoaderRejectsTheSchemaRejects() throws IOException {
        for (String bad : List.of(
                "hosts:\n  web1:\n    adress: 192.0.2.1\n",
                "hosts:\n  web1:\n    address: 192.0.2.1\n    port: eighty\n",
                "hosts:\n  web1:\n    address: 192.0.2.1\n    port: 70000\n",
                "hosts:\n  web1:\n    address: 192.0.2.1\n    local: {root: ./x}\n",
                "hosts:\n  web1:\n    address: 192.0.2.1\n    stateDir: relative/dir\n",
                "hosts:\n  web1:\n    address: 192.0.2.1\n    jump: {address: j, porrt: 22}\n",
                "hosts:\n  web1:\n    local: {root: ./x, user: me}\n",
                "hosts:\n  bad/name:\n    address: 192.0.2.1\n",
                "defaults:\n  address: 192.0.2.1\nhosts:\n  web1: {local: {root: x}}\n",
                "hosts: {}\n",
                "host:\n  web1:\n    address: 192.0.2.1\n")) {
            Path file = Files.writeString(tmp.resolve("inventory.yaml"), bad);
            assertThat(INVENTORY.validate(asJson(file), InputFormat.JSON)).as("schema on:\n" + bad).isNotEmpty();
            assertThatThrownBy(() -> InventoryLoader.load(file)).as("loader on:\n" + bad)
                    .isInstanceOf(DeployException.class);
        }
    }

    @Test
    void modulesTheLoaderRejectsTheSchemaRejects() throws IOException {
        for (String bad : List.of(
                "module: m\ndescrption: typo\n",
                "description: no name\n",
                "module: m\noptions:\n  port: {type: integer}\n",
                "module: m\noptions:\n  port: {default: 1}\n",
                "module: m\nservices:\n  s: {description: no exec}\n",
                "module: m\nservices:\n  s: {exec: x, restart: sometimes}\n",
                "module: m\nservices:\n  s: {exec: x, healthCheck: {url: http://x/}}\n",
                "module: m\nservices:\n  s: {exec: x, healthCheck: {timeout: 1m}}\n",
                "module: m\nservices:\n  s: {exec: x, environment: {BAD-NAME: x}}\n",
                "module: m\nfiles:\n  f: {name: x}\n",
                "module: m\nfiles:\n  f: {text: x, mode: '0644'}\n",
                "module: m\nvenvs:\n  v: {package: x}\n",
                "module: m\nset:\n  noDot: 1\n")) {
            Path file = Files.writeString(tmp.resolve("m.yaml"), bad);
            assertThat(MODULE.validate(asJson(file), InputFormat.JSON)).as("schema on:\n" + bad).isNotEmpty();
            assertThatThrownBy(() -> ModuleLoader.load(file, "m")).as("loader on:\n" + bad)
                    .isInstanceOf(DeployException.class);
        }
    }

    /** The YAML as the loaders read it (snakeyaml-engine, YAML 1.2 JSON schema), written as JSON for the validator. */
    private static String asJson(Path yaml) throws IOException {
        Object document = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(yaml));
        return new ObjectMapper().writeValueAsString(document);
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }
}
