package dev.deploy.it.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelServerTest {

    @TempDir
    Path dir;

    private static HttpResponse<byte[]> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesTheDirectorysFilesOnLoopbackAndRecordsEachRequest() throws Exception {
        Files.writeString(dir.resolve("a-1.0-py3-none-any.whl"), "wheel bytes");
        try (WheelServer server = WheelServer.serve(dir)) {
            String url = server.url("a-1.0-py3-none-any.whl");
            assertThat(url).startsWith("http://127.0.0.1:").endsWith("/files/a-1.0-py3-none-any.whl");
            HttpResponse<byte[]> response = get(url);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new String(response.body())).isEqualTo("wheel bytes");
            assertThat(server.requests()).containsExactly("/files/a-1.0-py3-none-any.whl");
        }
    }

    @Test
    void missingFilesAndPathsOutsideTheDirectoryAre404() throws Exception {
        Files.createDirectories(dir.resolve("served"));
        Files.writeString(dir.resolve("secret"), "no");
        try (WheelServer server = WheelServer.serve(dir.resolve("served"))) {
            assertThat(get(server.url("nope.whl")).statusCode()).isEqualTo(404);
            assertThat(get(server.url("..%2Fsecret")).statusCode()).isEqualTo(404);
            assertThat(get(server.url("")).statusCode()).isEqualTo(404);
        }
    }
}
