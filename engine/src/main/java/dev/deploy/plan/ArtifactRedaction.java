package dev.deploy.plan;

/**
 * Keeps secret values out of plans: an artifact it {@link #hides} is shown only as a changed store path (its old
 * text is not even read from the host), and every other text diff line passes {@link #redact} before it is kept.
 * {@link #NONE} hides nothing.
 */
public interface ArtifactRedaction {

    /** Hides nothing. */
    ArtifactRedaction NONE = new ArtifactRedaction() {
    };

    /** Whether the artifact in {@code role} is secret: its content never appears in a plan. */
    default boolean hides(String role) {
        return false;
    }

    /** {@code line} (of the text of the artifact in {@code role}) with any secret value in it replaced. */
    default String redact(String role, String line) {
        return line;
    }
}
