package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.event.DeployEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StringWriter text = new StringWriter();
    private final NdjsonEvents events = new NdjsonEvents(new PrintWriter(text));

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.toString().split("\n", -1)) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void everyEventTypeHasAStableKebabCaseName() {
        assertThat(Arrays.stream(DeployEvent.class.getPermittedSubclasses()).map(NdjsonEvents::type))
                .containsExactlyInAnyOrder("host-started", "connected", "planned", "transfer-progress", "switched",
                        "health-checked", "confirmed", "rolled-back", "host-finished", "batch-started",
                        "batch-finished");
    }

    @Test
    void theSamplesCoverEveryEventType() {
        assertThat(Events.oneHost("web1").stream().map(Object::getClass).distinct())
                .containsExactlyInAnyOrder(DeployEvent.class.getPermittedSubclasses());
    }

    @Test
    void aRunIsOneJsonObjectPerLineInTheOrderThingsHappenedFromRunStartedToResult() throws Exception {
        events.runStarted("apply", List.of("web1"), List.of(List.of("web1")));
        Events.oneHost("web1").forEach(events::accept);
        events.result(Documents.apply());

        List<JsonNode> lines = lines();

        assertThat(lines).extracting(line -> line.get("type").asText()).containsExactly("run-started",
                "batch-started", "host-started", "connected", "planned", "transfer-progress", "transfer-progress",
                "switched", "health-checked", "confirmed", "rolled-back", "host-finished", "batch-finished",
                "result");
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.get("format").asInt()).isEqualTo(1);
            assertThat(line.get("at").asText()).isNotEmpty();
        });
        assertThat(lines.get(4).toString()).isEqualTo("{\"format\":1,\"type\":\"planned\","
                + "\"at\":\"2025-01-02T03:04:05Z\",\"host\":\"web1\",\"changes\":true,\"currentGeneration\":1,"
                + "\"nextGeneration\":2,\"storePathsToAdd\":0,\"bytesToAdd\":0,\"secrets\":[],"
                + "\"services\":[{\"service\":\"web\",\"action\":\"restart\",\"was\":null}]}");
        assertThat(lines.get(5).toString()).isEqualTo("{\"format\":1,\"type\":\"transfer-progress\","
                + "\"at\":\"2025-01-02T03:04:05Z\",\"host\":\"web1\",\"bytesSent\":100,\"totalBytes\":300,"
                + "\"filesSent\":1,\"totalFiles\":3}");
        assertThat(lines.get(10).toString()).isEqualTo("{\"format\":1,\"type\":\"rolled-back\","
                + "\"at\":\"2025-01-02T03:04:05Z\",\"host\":\"web1\",\"from\":2,\"to\":1,\"byHost\":false,"
                + "\"reason\":\"rollout aborted\"}");
        assertThat(lines.get(12).toString()).isEqualTo("{\"format\":1,\"type\":\"batch-finished\","
                + "\"at\":\"2025-01-02T03:04:05Z\",\"batch\":1,\"failed\":[]}");
        assertThat(lines.get(13).get("command").asText()).isEqualTo("apply");
        assertThat(lines.get(13).get("hosts").get(0).get("outcome").asText()).isEqualTo("applied");
    }

    @Test
    void aValueWithLineBreaksStaysOnItsLine() throws Exception {
        events.accept(new DeployEvent.HealthChecked(Events.AT, "web1", "web", false,
                "answered 500\n{\"type\":\"host-finished\",\"result\":\"applied\"}"));

        assertThat(text.toString().split("\n")).hasSize(1);
        assertThat(lines().get(0).get("detail").asText()).contains("\n{\"type\"");
    }

    @Test
    void theResultLineCarriesTheJsonDocumentWithoutRepeatingTheFormat() throws Exception {
        events.result(Documents.apply());

        JsonNode line = lines().get(0);
        assertThat(line.fieldNames()).toIterable().containsExactly("format", "type", "at", "command", "exitCode",
                "batches", "aborted", "outcomes", "hosts", "sourceNotices");
    }
}
