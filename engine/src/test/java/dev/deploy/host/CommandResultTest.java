package dev.deploy.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandResultTest {

    @Test
    void aFullDiskIsTheErrorLineEvenWhenTarEndsWithItsOwnLine() {
        CommandResult tar = new CommandResult(2, new byte[0], """
                tar: abc-site/big.bin: Cannot write: No space left on device
                tar: abc-site/other.bin: Cannot open: No space left on device
                tar: Exiting with failure status due to previous errors
                """);
        assertThat(tar.lastErrorLine()).isEqualTo("tar: abc-site/big.bin: Cannot write: No space left on device");
    }

    @Test
    void otherwiseTheLastNonEmptyLineOrTheExitCode() {
        assertThat(new CommandResult(3, new byte[0], "one\ntwo\n\n").lastErrorLine()).isEqualTo("two");
        assertThat(new CommandResult(3, new byte[0], "").lastErrorLine()).isEqualTo("exit code 3");
    }
}
