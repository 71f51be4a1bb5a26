package dev.deploy.cache;

import dev.deploy.host.HostScript;

/** The exit codes {@code substitute.sh} declares; anything else non-zero is a failure of the step. */
enum SubstituteExit implements HostScript.ExitCode {
    CORRUPT(3), BASE_GONE(4), NO_TOOLS(5), UNREACHABLE(6), FETCH_FAILED(7), BAD_OBJECTS(8);

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
