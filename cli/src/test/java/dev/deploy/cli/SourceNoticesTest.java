package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.Location;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A source notice is one line on stderr, and in --json the same with its place as separate fields. */
class SourceNoticesTest {

    @Test
    void aNoticeNamesWhereTheSourceIsDeclaredInTheLineAndAsFields() throws Exception {
        SourceNotices.Line pinned = new SourceNotices.Line(false, "pin-added", new Location("inventory.yaml", 6, 9),
                null, "github:o/app/main", "pinned branch main @ 5ad3 (added to deploy.lock)");

        assertThat(pinned.text()).isEqualTo("deploy: note: inventory.yaml:6:9: github:o/app/main: pinned branch "
                + "main @ 5ad3 (added to deploy.lock)");
        JsonNode json = new ObjectMapper().readTree(Json.writeLine(SourceNotices.json(List.of(pinned)).get(0)));
        assertThat(json.get("level").asText()).isEqualTo("note");
        assertThat(json.get("location").asText()).isEqualTo("inventory.yaml:6:9");
        assertThat(json.get("file").asText()).isEqualTo("inventory.yaml");
        assertThat(json.get("line").asInt()).isEqualTo(6);
        assertThat(json.get("column").asInt()).isEqualTo(9);
        assertThat(json.get("host").isNull()).isTrue();
    }

    @Test
    void aHostWarningHasNoPlaceButItsHostAndStaysOnOneLine() throws Exception {
        SourceNotices.Line warning = new SourceNotices.Line(true, "working-tree-on-host", null, "web1",
                "source/app.src", "gets path:a\nb, path (working tree)");

        assertThat(warning.text()).isEqualTo("deploy: warning: web1: source/app.src: gets path:a\\nb, path "
                + "(working tree)");
        JsonNode json = new ObjectMapper().readTree(Json.writeLine(SourceNotices.json(List.of(warning)).get(0)));
        assertThat(json.get("file").isNull()).isTrue();
        assertThat(json.get("line").isNull()).isTrue();
        assertThat(json.get("host").asText()).isEqualTo("web1");
        assertThat(json.get("message").asText()).isEqualTo("gets path:a\nb, path (working tree)");
    }
}
