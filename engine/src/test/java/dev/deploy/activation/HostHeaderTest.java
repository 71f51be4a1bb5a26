package dev.deploy.activation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HostHeaderTest {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(HostHeader.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(HostHeader.PROPERTY);
        } else {
            System.setProperty(HostHeader.PROPERTY, saved);
        }
    }

    @Test
    void hostIsAllowedWhenNothingElseIs() {
        System.clearProperty(HostHeader.PROPERTY);
        HostHeader.allow();
        assertThat(System.getProperty(HostHeader.PROPERTY)).isEqualTo("host");
    }

    @Test
    void headersAllowedAlreadyAreKeptAndHostIsAddedOnce() {
        System.setProperty(HostHeader.PROPERTY, "connection, Content-Length");
        HostHeader.allow();
        HostHeader.allow();
        assertThat(System.getProperty(HostHeader.PROPERTY)).isEqualTo("connection, Content-Length,host");

        System.setProperty(HostHeader.PROPERTY, "upgrade,Host");
        HostHeader.allow();
        assertThat(System.getProperty(HostHeader.PROPERTY)).isEqualTo("upgrade,Host");
    }
}
