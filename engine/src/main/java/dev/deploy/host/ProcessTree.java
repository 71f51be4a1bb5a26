package dev.deploy.host;

import java.util.List;

/** Stopping a process this machine started together with whatever it started in turn. */
public final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * Kills {@code process} and its descendants. They are collected first: once the process is gone its children are
     * no longer its descendants and would be left running (a {@code sh -c} command's own commands, a
     * {@code Match exec} of ssh, a password manager).
     */
    public static void stop(Process process) {
        List<ProcessHandle> started = process.descendants().toList();
        process.destroyForcibly();
        started.forEach(ProcessHandle::destroyForcibly);
    }
}
