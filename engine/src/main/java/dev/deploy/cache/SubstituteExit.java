package dev.deploy.cache;

import dev.deploy.host.HostScript;

/**
 * The exit codes of the substitution program: {@code transfer/push.sh} and {@code transfer/install.sh} (3-5, as
 * {@code ArtifactPusher.PushExit}) and {@code substitute.sh} between them (6-9); anything else non-zero is a failure
 * of the step.
 */
enum SubstituteExit implements HostScript.ExitCode {
    VERIFY_FAILED(3), BASE_GONE(4), UNSAFE_STORE(5), NO_TOOLS(6), UNREACHABLE(7), FETCH_FAILED(8), BAD_OBJECTS(9);

    private final int code;

    SubstituteExit(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    static SubstituteExit of(int code) {
        for (SubstituteExit exit : values()) {
            if (exit.code == code) {
                return exit;
            }
        }
        return null;
    }
}
