package dev.deploy.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploy.fleet.Deployment;
import dev.deploy.yaml.KnownFields;
import dev.deploy.Location;
import dev.deploy.yaml.YamlFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON Schemas ({@code schema/}) and the loaders accept the same fields. The loaders declare their fields in
 * {@code YamlMap.allowOnly}; {@link KnownFields} records every such check while the coverage fixture
 * ({@code resources/dev/deploy/schema/coverage}: an inventory and modules using every kind of object) is loaded and
 * evaluated, and each check is compared with the closed schema object describing the same mapping. A field added
 * to a loader and not to the schema (or the reverse) fails here, naming the file, line and field. See
 * {@code schema/README.md} for how to update the schemas.
 */
class SchemaAgreementTest {

    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final Path COVERAGE = Path.of("src/test/resources/dev/deploy/schema/coverage").toAbsolutePath();

    private static final JsonSchemaFile INVENTORY = new JsonSchemaFile(REPO.resolve("schema/inventory.schema.json"));
    private static final JsonSchemaFile MODULE = new JsonSchemaFile(REPO.resolve("schema/module.schema.json"));

    @TempDir
    static Path cache;

    private static final Map<Location, KnownFields.Check> checks = new HashMap<>();
    private static final List<SchemaWalk> walks = new ArrayList<>();

    @BeforeAll
    static void loadTheCoverageFixture() {
        KnownFields.Recorded<Integer> recorded = KnownFields.record(() -> {
            try (Deployment deployment = Deployment.open(COVERAGE.resolve("inventory.yaml"), List.of(), List.of(),
                    host -> {
                        throw new AssertionError("no host is contacted: " + host.name());
                    }, cache)) {
                return deployment.evaluateAll().size();
            }
        });
        assertThat(recorded.result()).as("hosts evaluated").isEqualTo(3);
        recorded.checks().forEach(check -> checks.put(SchemaWalk.key(check.location()), check));

        SchemaWalk inventory = new SchemaWalk(INVENTORY);
        inventory.walk(YamlFiles.load(COVERAGE.resolve("inventory.yaml")), "#");
        walks.add(inventory);
        for (String module : List.of("coverage", "helper")) {
            SchemaWalk walk = new SchemaWalk(MODULE);
            walk.walk(YamlFiles.load(COVERAGE.resolve("modules/" + module + ".yaml")), "#");
            walks.add(walk);
        }
        walks.forEach(walk -> assertThat(walk.problems).isEmpty());
    }

    @Test
    void everyObjectTheSchemaClosesHasExactlyTheLoadersFields() {
        List<String> disagreements = new ArrayList<>();
        for (SchemaWalk walk : walks) {
            walk.closed.forEach((location, closed) -> {
                KnownFields.Check check = checks.get(location);
                if (check == null) {
                    disagreements.add(where(location) + " ("  + field(closed.field()) + "): the schema (" + closed.pointer()
                            + ") allows only " + closed.properties() + ", the loader accepts any key here");
                } else if (!new TreeSet<>(check.allowed()).equals(closed.properties())) {
                    disagreements.add(where(location) + " ("  + field(closed.field()) + "): the loader accepts "
                            + new TreeSet<>(check.allowed()) + ", the schema (" + closed.pointer() + ") "
                            + closed.properties() + differences(check.allowed(), closed.properties()));
                }
            });
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void everyMapTheLoadersCheckIsAClosedObjectInTheSchema() {
        Set<Location> described = new HashSet<>();
        Set<Location> untyped = new HashSet<>();
        walks.forEach(walk -> {
            described.addAll(walk.closed.keySet());
            untyped.addAll(walk.untyped);
        });
        List<String> undescribed = new ArrayList<>();
        checks.forEach((location, check) -> {
            if (!described.contains(location) && !untyped.contains(location)) {
                undescribed.add(where(location) + " (" + field(check.field()) + "): the loader accepts only "
                        + new TreeSet<>(check.allowed()) + "; the schema has no object with exactly those properties"
                        + " here (add one with additionalProperties: false)");
            }
        });
        assertThat(undescribed).isEmpty();
    }

    @Test
    void theCoverageFixtureReachesEveryClosedObjectOfTheSchemas() {
        Set<String> visited = new HashSet<>();
        walks.forEach(walk -> walk.closed.values().forEach(c -> visited.add(c.pointer())));
        List<String> missing = new ArrayList<>();
        for (JsonSchemaFile schema : List.of(INVENTORY, MODULE)) {
            for (String pointer : schema.closedObjects()) {
                // the walk names module and inventory objects alike; prefix by file to keep them apart
                if (!visitedIn(schema, pointer)) {
                    missing.add(schema.path().getFileName() + " " + pointer);
                }
            }
        }
        assertThat(missing).as("closed objects with no example in " + REPO.relativize(COVERAGE)
                + " (add one, so the loader's fields there are compared too)").isEmpty();
    }

    @Test
    void everyPropertyIsDescribedAndTypedAndEveryObjectSaysWhatElseItTakes() {
        List<String> problems = new ArrayList<>();
        for (JsonSchemaFile schema : List.of(INVENTORY, MODULE)) {
            for (Map.Entry<String, JsonNode> entry : schema.allSchemas()) {
                String where = schema.path().getFileName() + " " + entry.getKey();
                JsonNode s = entry.getValue();
                if (s.has("properties") && !JsonSchemaFile.isClosed(s)) {
                    problems.add(where + ": an object with properties must say additionalProperties: false");
                }
                if (isObjectType(s) && !s.has("properties") && !s.has("additionalProperties")
                        && !s.has("patternProperties")) {
                    problems.add(where + ": an object schema must list its properties or describe its values");
                }
                s.path("properties").fields().forEachRemaining(p -> {
                    JsonNode property = p.getValue();
                    if (!property.has("description")) {
                        problems.add(where + "/properties/" + p.getKey() + ": no description (editors show it)");
                    }
                    if (List.of("type", "$ref", "enum", "const", "anyOf", "oneOf").stream().noneMatch(property::has)) {
                        problems.add(where + "/properties/" + p.getKey() + ": no type, $ref or enum");
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
    }

    private static boolean isObjectType(JsonNode schema) {
        JsonNode type = schema.path("type");
        return type.isTextual() && type.asText().equals("object");
    }

    private static boolean visitedIn(JsonSchemaFile schema, String pointer) {
        for (SchemaWalk walk : walks) {
            if (walk.schema() == schema && walk.closed.values().stream().anyMatch(c -> c.pointer().equals(pointer))) {
                return true;
            }
        }
        return false;
    }

    private static String where(Location location) {
        return REPO.relativize(Path.of(location.file())) + ":" + location.line() + ":" + location.column();
    }

    private static String field(String field) {
        return field.isEmpty() ? "top level" : field;
    }

    private static String differences(Set<String> loader, Set<String> schema) {
        Set<String> onlyLoader = new TreeSet<>(loader);
        onlyLoader.removeAll(schema);
        Set<String> onlySchema = new TreeSet<>(schema);
        onlySchema.removeAll(loader);
        return (onlyLoader.isEmpty() ? "" : "; missing from the schema: " + onlyLoader)
                + (onlySchema.isEmpty() ? "" : "; unknown to the loader: " + onlySchema);
    }
}
