package dev.deploy.python;

import dev.deploy.DeployException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarkerTest {

    private static final Map<String, TargetEnvironment> HOSTS = Map.of(
            "debian12", new TargetEnvironment("3.11.2", "cpython", "x86_64", "linux",
                    new Libc.Glibc(2, 36), "6.1.0-18-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1"),
            "ubuntu2004arm", TargetEnvironment.glibcLinux("3.8.10", "aarch64", 2, 31),
            "alpine", TargetEnvironment.muslLinux("3.12.8", "x86_64", 1, 2),
            "py39old", TargetEnvironment.glibcLinux("3.9.0", "x86_64", 2, 31));

    @ParameterizedTest(name = "[{0}] {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "debian12      | python_version < \"3.11\"                                        | false",
            "ubuntu2004arm | python_version < \"3.11\"                                        | true",
            "debian12      | python_version >= '3.11'                                        | true",
            "debian12      | python_version == \"3.11\"                                       | true",
            "debian12      | python_version == \"3.1\"                                        | false",
            "debian12      | python_full_version < '3.11.3'                                  | true",
            "debian12      | sys_platform == \"win32\"                                        | false",
            "debian12      | sys_platform != 'win32'                                         | true",
            "debian12      | sys_platform == 'linux' and platform_machine == 'x86_64'        | true",
            "debian12      | platform_machine == \"x86_64\" and python_full_version >= \"3.9.1\" | true",
            "py39old       | platform_machine == \"x86_64\" and python_full_version >= \"3.9.1\" | false",
            "ubuntu2004arm | platform_machine == \"x86_64\" and python_full_version >= \"3.9.1\" | false",
            "debian12      | platform_machine in 'x86_64 AMD64 aarch64'                      | true",
            "debian12      | platform_machine not in 'arm64 aarch64'                         | true",
            "ubuntu2004arm | platform_machine not in 'arm64 aarch64'                         | false",
            "debian12      | 'linux' in sys_platform                                         | true",
            "debian12      | (sys_platform == 'darwin' or sys_platform == 'linux') and python_version >= '3.10' | true",
            "debian12      | sys_platform == 'darwin' or sys_platform == 'linux' and python_version < '3.10'   | false",
            "ubuntu2004arm | sys_platform == 'darwin' or (sys_platform == 'linux' and python_version < '3.10') | true",
            "debian12      | platform_python_implementation == 'CPython' and implementation_name == 'cpython' | true",
            "debian12      | platform_python_implementation != 'PyPy'                        | true",
            "debian12      | os_name == 'posix' and platform_system == 'Linux'               | true",
            "debian12      | implementation_version >= '3.11'                                | true",
            "debian12      | platform_release >= '6'                                         | true",
            "debian12      | platform_release < '5.10'                                       | false",
            "debian12      | 'Debian' in platform_version                                    | true",
            "alpine        | python_version ~= '3.10'                                        | true",
            "alpine        | python_full_version === '3.12.8'                                | true",
            "alpine        | python_version > '3.12'                                         | false",
            "debian12      | os.name == 'posix'                                              | true",
    })
    void evaluatesAgainstHostFacts(String host, String marker, boolean expected) {
        assertThat(Marker.parse(marker).evaluate(HOSTS.get(host).markerEnvironment())).isEqualTo(expected);
    }

    @Test
    void extraComparisonsAskWhetherTheExtraIsActive() {
        MarkerEnvironment none = HOSTS.get("debian12").markerEnvironment();
        MarkerEnvironment standard = HOSTS.get("debian12").markerEnvironment(Set.of("standard"));
        Marker marker = Marker.parse("extra == 'standard' and sys_platform != 'win32'");
        assertThat(marker.evaluate(none)).isFalse();
        assertThat(marker.evaluate(standard)).isTrue();
        assertThat(Marker.parse("extra != 'standard'").evaluate(standard)).isFalse();
        assertThat(Marker.parse("'standard' == extra").evaluate(standard)).isTrue();
    }

    @Test
    void extraNamesAreComparedNormalized() {
        MarkerEnvironment env = HOSTS.get("debian12").markerEnvironment(Set.of("Web_Socket"));
        assertThat(Marker.parse("extra == 'web.socket'").evaluate(env)).isTrue();
    }

    @Test
    void andBindsTighterThanOr() {
        Marker marker = Marker.parse("os_name == 'nt' or os_name == 'posix' and python_version >= '3.10'");
        assertThat(marker).isInstanceOf(Marker.Or.class);
        assertThat(((Marker.Or) marker).operands().get(1)).isInstanceOf(Marker.And.class);
    }

    @Test
    void printsCanonicalText() {
        assertThat(Marker.parse("(sys_platform=='win32' or os_name=='nt')and python_version<'3.11'").toString())
                .isEqualTo("(sys_platform == \"win32\" or os_name == \"nt\") and python_version < \"3.11\"");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "python_version <                       | expected a marker variable or a quoted string at the end",
            "python_version < '3.11                 | unterminated string at column 18",
            "pyhton_version < '3.11'                | unknown marker variable 'pyhton_version' at column 1",
            "python_version = '3.11'                | expected a comparison operator at column 16",
            "(python_version < '3.11'               | expected ')' at the end",
            "python_version < '3.11' and            | expected a marker variable or a quoted string at the end",
            "python_version < '3.11' xor os_name == 'nt' | expected 'and', 'or' or the end at column 25",
            "''                                     | empty marker at the end",
    })
    void malformedMarkersAreReportedWithTheProblemAndColumn(String marker, String problem) {
        assertThatThrownBy(() -> Marker.parse(marker))
                .isInstanceOf(DeployException.class)
                .hasMessage("invalid marker '" + marker + "': " + problem)
                .satisfies(e -> assertThat(((DeployException) e).kind()).isEqualTo(DeployException.Kind.INPUT));
    }

    @Test
    void compatibleReleaseOnNonVersionsIsAnError() {
        Marker marker = Marker.parse("platform_release ~= '6.1'");
        assertThatThrownBy(() -> marker.evaluate(HOSTS.get("debian12").markerEnvironment()))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("~= needs PEP 440 versions on both sides");
    }
}
