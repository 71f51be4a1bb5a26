package dev.deploy.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HealthUrlTest {

    @Test
    void aPlainHttpUrlGivesHostPortAndPathWithQuery() {
        HealthUrl url = HealthUrl.parse("http://127.0.0.1:8080/status?full=1");
        assertThat(url).isEqualTo(new HealthUrl("127.0.0.1", 8080, "/status?full=1"));
        assertThat(url.hostHeader()).isEqualTo("127.0.0.1:8080");
        assertThat(url.via("127.0.0.1", 41234).toString()).isEqualTo("http://127.0.0.1:41234/status?full=1");
    }

    @Test
    void portDefaultsTo80AndPathToSlash() {
        HealthUrl url = HealthUrl.parse("http://localhost");
        assertThat(url).isEqualTo(new HealthUrl("localhost", 80, "/"));
        assertThat(url.hostHeader()).isEqualTo("localhost");
        assertThat(url.toString()).isEqualTo("http://localhost/");
    }

    @Test
    void ipv6HostsKeepTheirBracketsInTheHostHeaderOnly() {
        HealthUrl url = HealthUrl.parse("http://[::1]:9000/");
        assertThat(url.host()).isEqualTo("::1");
        assertThat(url.hostHeader()).isEqualTo("[::1]:9000");
    }

    @Test
    void onlyHttpIsChecked() {
        assertThatThrownBy(() -> HealthUrl.parse("https://127.0.0.1/"))
                .hasMessageContaining("must start with http://");
        assertThatThrownBy(() -> HealthUrl.parse("127.0.0.1:8080/"))
                .hasMessageContaining("must start with http://");
    }

    @Test
    void aUrlWithoutHostUserOrWithFragmentIsRejected() {
        assertThatThrownBy(() -> HealthUrl.parse("http:///path")).hasMessageContaining("needs a host");
        assertThatThrownBy(() -> HealthUrl.parse("http://admin@127.0.0.1/")).hasMessageContaining("must not carry a user");
        assertThatThrownBy(() -> HealthUrl.parse("http://127.0.0.1/#top")).hasMessageContaining("#fragment");
        assertThatThrownBy(() -> HealthUrl.parse("http://127.0.0.1:99999/")).hasMessageContaining("port");
        assertThatThrownBy(() -> HealthUrl.parse("http://127.0.0.1:80 80/")).hasMessageContaining("not a valid URL");
    }
}
