package dev.deploy.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Version names: keyed (per host), covering value and delivery, never showing the value. */
class SecretKeyTest {

    private static Secret secret(String value, int mode) {
        return new Secret("secret/app.key", new Secret.File(), "app", "app", mode,
                SecretValue.of(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theNameDependsOnTheKeyTheValueAndHowTheFileIsKept() {
        SecretKey key = SecretKey.random();
        String name = key.version(secret("1234", 0400));
        assertThat(name).matches("[0-9a-f]{32}-app\\.key");
        assertThat(key.version(secret("1234", 0400))).isEqualTo(name);
        assertThat(key.version(secret("1235", 0400))).isNotEqualTo(name);
        assertThat(key.version(secret("1234", 0440))).isNotEqualTo(name);
        assertThat(SecretKey.random().version(secret("1234", 0400))).as("another host's key").isNotEqualTo(name);
        assertThat(SecretKey.parseHex(key.hex()).version(secret("1234", 0400))).isEqualTo(name);
    }

    @Test
    void neitherKeyNorValueShowsInTextOrJson() throws Exception {
        Secret secret = secret("hunter2-value", 0400);
        assertThat(secret.toString()).doesNotContain("hunter2-value");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(secret);
        assertThat(json).doesNotContain("hunter2-value").contains("<secret, 13 bytes>");
        SecretKey key = SecretKey.random();
        assertThat(key.toString()).doesNotContain(key.hex());
        assertThat(SecretKey.parseHex("abc")).isNull();
    }

    @Test
    void anEnvironmentFileLineEscapesWhatSystemdUnescapesInDoubleQuotes() {
        byte[] line = Secret.environmentLine("DB_URL", SecretValue.of(
                "postgres://u:p\"a$s`s\\w@h/db 'x'".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(line, StandardCharsets.UTF_8))
                .isEqualTo("DB_URL=\"postgres://u:p\\\"a\\$s\\`s\\\\w@h/db 'x'\"\n");
    }
}
