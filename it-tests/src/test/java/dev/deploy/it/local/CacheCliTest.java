package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary cache's command-line surface on a local target, without an S3 server: bad input is exit 3 with one line
 * naming the place, before anything is touched; a cache that cannot be reached makes apply fall back and say so.
 */
class CacheCliTest {

    @TempDir
    Path project;

    @BeforeEach
    void writeModule() throws Exception {
        Files.createDirectories(project.resolve("modules"));
        Files.writeString(project.resolve("modules/tree.yaml"), "module: tree\noptions:\n  content: {type: source}\n");
        Files.createDirectories(project.resolve("www"));
        Files.writeString(project.resolve("www/index.html"), "hello\n");
    }

    private Path inventory(String cache) throws Exception {
        return Files.writeString(project.resolve("inventory.yaml"), cache + """
                hosts:
                  box:
                    local: {root: state}
                    modules: [tree]
                    options: {tree.content: "path:www"}
                """);
    }

    @Test
    void aBadCacheSettingIsAnInputErrorNamingItsPlaceAndTouchesNoHost() throws Exception {
        Path inventory = inventory("cache: {s3: \"s3://bucket\", endpoint: \"http://127.0.0.1:9000/minio\"}\n");

        CliRun run = CliRun.against(inventory, "apply");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.stderr().strip()).isEqualTo("deploy: error: " + inventory + ":1:38: cache.endpoint: expected"
                + " http(s)://HOST[:PORT] (no path, user, query or fragment), got \"http://127.0.0.1:9000/minio\"");
        assertThat(project.resolve("state")).doesNotExist();
    }

    @Test
    void cacheCommandsWithoutACacheOrWithAPartialFleetAreRefused() throws Exception {
        Path inventory = inventory("");

        CliRun push = CliRun.against(inventory, "push-cache");
        assertThat(push.exitCode()).isEqualTo(3);
        assertThat(push.stderr()).contains(inventory + ": cache: the inventory has no binary cache");

        Path cached = inventory("cache: {s3: \"s3://bucket\", endpoint: \"http://127.0.0.1:9\"}\n");
        CliRun partial = CliRun.against(cached, "cache", "gc", "--keep-days", "7", "--on", "box");
        assertThat(partial.exitCode()).isEqualTo(3);
        assertThat(partial.stderr()).contains("--on: cache gc must read every host's generations");
        CliRun negative = CliRun.against(cached, "cache", "gc", "--keep-days", "-1");
        assertThat(negative.exitCode()).isEqualTo(3);
        assertThat(negative.stderr()).contains("--keep-days: must be 0 or more");
        assertThat(project.resolve("state")).doesNotExist();
    }

    @Test
    void whenTheCacheCannotBeReachedTheHostIsPushedToAndTheRunSaysWhy() throws Exception {
        // 127.0.0.1:9 (discard) has no S3 server: the controller's upload fails at once
        System.setProperty("aws.accessKeyId", "deploy-test");
        System.setProperty("aws.secretAccessKey", "deploy-test-secret");
        Path inventory = inventory("cache: {s3: \"s3://bucket/x\", endpoint: \"http://127.0.0.1:9\", pathStyle: true}\n");

        CliRun run = CliRun.against(inventory, "apply");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("box: cache: fell back to the SSH push: the controller could not put the"
                + " store paths into the cache: s3: ");
        assertThat(Files.readString(project.resolve("state/current/roots/source/tree.content/index.html")))
                .isEqualTo("hello\n");
    }

    @Test
    void aPlanSaysWhichHostsFetchFromTheCacheAndWhichArePushedToByTheController() throws Exception {
        Path inventory = Files.writeString(project.resolve("inventory.yaml"), """
                cache: {s3: "s3://bucket/x", endpoint: "http://127.0.0.1:9", pathStyle: true}
                hosts:
                  box:
                    local: {root: state}
                    modules: [tree]
                    options: {tree.content: "path:www"}
                  dmz:
                    local: {root: state-dmz}
                    cache: off
                    modules: [tree]
                    options: {tree.content: "path:www"}
                """);

        CliRun run = CliRun.against(inventory, "plan");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String box = run.stdout().substring(run.stdout().indexOf("box ("), run.stdout().indexOf("dmz ("));
        String dmz = run.stdout().substring(run.stdout().indexOf("dmz ("), run.stdout().indexOf("Plan: "));
        assertThat(box).contains("; to fetch from the cache: 1 file, 6 B").doesNotContain("to send");
        assertThat(dmz).contains("; to send: 1 file, 6 B (cache: off for this host)");
        assertThat(run.stdout()).contains("Cache s3://bucket/x at http://127.0.0.1:9: 1 host fetches from it what it"
                + " lacks (the controller uploads what the cache does not have; a host that cannot reach it is pushed"
                + " to over SSH), 1 host is pushed to over SSH (cache: off).");
        assertThat(project.resolve("state")).doesNotExist();
    }
}
