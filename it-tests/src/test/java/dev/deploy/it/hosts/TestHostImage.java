package dev.deploy.it.hosts;

/** The locally built test-host images (see {@code it-tests/hosts/build-image.sh}). */
public enum TestHostImage {
    /** Debian bookworm with systemd, OpenSSH, python3 and rsync. */
    BOOKWORM("deploy-testhost:bookworm", true),
    /** The same without rsync, for the transfer path that must work without it. */
    BOOKWORM_NORSYNC("deploy-testhost:bookworm-norsync", false);

    private final String reference;
    private final boolean hasRsync;

    TestHostImage(String reference, boolean hasRsync) {
        this.reference = reference;
        this.hasRsync = hasRsync;
    }

    /** Docker image reference, {@code repository:tag}. */
    public String reference() {
        return reference;
    }

    public boolean hasRsync() {
        return hasRsync;
    }
}
