package dev.deploy.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** One escaping rule per kind of unit setting; every kind refuses control characters with their origin. */
class UnitSettingsTest {

    private static final String STATE_DIR = "/var/lib/deploy";

    private static UnitSettings.Value value(String text) {
        return new UnitSettings.Value(Text.of(text, Pieces.INVENTORY), Pieces.SITE);
    }

    private static final List<Function<UnitSettings.Value, String>> KINDS = List.of(UnitSettings::text,
            UnitSettings::userName, UnitSettings::absolutePath, v -> UnitSettings.relativeDirectory(v, STATE_DIR),
            v -> UnitSettings.environment("NAME", v));

    @Test
    void everyKindRefusesControlCharactersNamingWhereTheyWereWritten() {
        for (Function<UnitSettings.Value, String> kind : KINDS) {
            for (String text : List.of("root\rInjectedKey=1", "root\0InjectedKey=1", "a\nb", "a\u000bb", "a\u0085b")) {
                assertThatThrownBy(() -> kind.apply(value(text))).as(text)
                        .isInstanceOf(DeployException.class)
                        .hasMessageContaining(" in a unit setting; the value comes from inventory.yaml:6:15 "
                                + "(hosts.h1.options.m.v)")
                        .hasMessageStartingWith("modules/m.yaml:9:11: h1: services.m.exec: control character U+");
            }
        }
    }

    @Test
    void aTrailingBackslashWouldJoinTheNextLineAndIsRefused() {
        for (Function<UnitSettings.Value, String> kind : KINDS) {
            assertThatThrownBy(() -> kind.apply(value("/a\\"))).isInstanceOf(DeployException.class)
                    .hasMessageContaining("cannot end with a backslash");
        }
    }

    @Test
    void specifiersAreEscapedInFreeTextPathsAndEnvironment() {
        assertThat(UnitSettings.text(value("100% of %n"))).isEqualTo("100%% of %%n");
        assertThat(UnitSettings.absolutePath(value("/srv/%i/a b"))).isEqualTo("/srv/%%i/a b");
        assertThat(UnitSettings.environment("X", value("a \"b\" \\c %n $HOME")))
                .isEqualTo("\"X=a \\\"b\\\" \\\\c %%n $HOME\"");
    }

    @Test
    void aWorkingDirectoryIsAnAbsoluteNormalizedPath() {
        for (String bad : List.of("-/srv", "~", "~/x", "srv", "/srv/../etc", "/srv/./x", " /srv", "/srv ", "")) {
            assertThatThrownBy(() -> UnitSettings.absolutePath(value(bad))).as(bad)
                    .isInstanceOf(DeployException.class);
        }
    }

    @Test
    void aStateDirectoryIsOneRelativeDirectoryWithoutDotDotOrColon() {
        assertThat(UnitSettings.relativeDirectory(value("lnbits"), STATE_DIR)).isEqualTo("lnbits");
        assertThat(UnitSettings.relativeDirectory(value("my app/data"), STATE_DIR)).isEqualTo("\"my app/data\"");
        for (String bad : List.of("/var/lib/x", "../etc", "a/../../etc", "foo:bar", ".", "", "a/./b")) {
            assertThatThrownBy(() -> UnitSettings.relativeDirectory(value(bad), STATE_DIR)).as(bad)
                    .isInstanceOf(DeployException.class);
        }
    }

    @Test
    void aStateDirectoryThatHoldsOrIsInsideDeploysOwnStateIsRefusedBecauseSystemdWouldGiveItToTheServiceUser() {
        // systemd chowns StateDirectory= recursively to User=: deploy's store, generations and current link with it.
        for (String bad : List.of("deploy", "deploy/store", "deploy//generations", "deploy/current/units")) {
            assertThatThrownBy(() -> UnitSettings.relativeDirectory(value(bad), STATE_DIR)).as(bad)
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("deploy's state directory /var/lib/deploy")
                    .hasMessageContaining("the value comes from inventory.yaml:6:15");
        }
        assertThatThrownBy(() -> UnitSettings.relativeDirectory(value("apps"), "/var/lib/apps/deploy"))
                .isInstanceOf(DeployException.class).hasMessageContaining("/var/lib/apps/deploy");
        assertThat(UnitSettings.relativeDirectory(value("deploy-app"), STATE_DIR)).isEqualTo("deploy-app");
        assertThat(UnitSettings.relativeDirectory(value("app/deploy"), STATE_DIR)).isEqualTo("app/deploy");
        assertThat(UnitSettings.relativeDirectory(value("deploy"), "/srv/deploy")).isEqualTo("deploy");
    }

    @Test
    void aUserIsANameOrAUid() {
        assertThat(UnitSettings.userName(value("nobody"))).isEqualTo("nobody");
        assertThat(UnitSettings.userName(value("1000"))).isEqualTo("1000");
        for (String bad : List.of("root InjectedKey=1", "-x", "a:b", "a/b", "", "%n", "99999999999", "65535",
                "4294967295")) {
            assertThatThrownBy(() -> UnitSettings.userName(value(bad))).as(bad)
                    .isInstanceOf(DeployException.class).hasMessageContaining("not a user name or UID");
        }
    }

    @Test
    void unitNamesAreCheckedLikeSystemdDoes() {
        assertThat(UnitSettings.isUnitName("network-online.target")).isTrue();
        assertThat(UnitSettings.isUnitName("getty@tty1.service")).isTrue();
        for (String bad : List.of("postgres", "a b.service", "x.service\nExecStart=/bin/sh", "x.service\\", "")) {
            assertThat(UnitSettings.isUnitName(bad)).as(bad).isFalse();
        }
    }
}
