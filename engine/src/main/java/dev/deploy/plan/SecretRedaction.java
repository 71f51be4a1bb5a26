package dev.deploy.plan;

import dev.deploy.secret.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The redaction every plan's text diffs pass through: each value of the host's secrets (as UTF-8 text, of at least
 * {@value #MIN_REDACTED} bytes) is replaced by {@code <secret MODULE.NAME>} in every diff line, old or new. The old
 * text of a rendered file or unit comes from the host and may hold a value that was written in a module option
 * before it became a secret; a new text may hold a value shorter than what {@code SecretExposure} searches for.
 * Longer values are replaced first, so a value inside another never leaves a part of the longer one.
 */
public final class SecretRedaction implements ArtifactRedaction {

    /** Values shorter than this (bytes) are not replaced: they would mask ordinary words of the diff. */
    static final int MIN_REDACTED = 4;

    private record Value(String name, String text) {
    }

    private final ArtifactRedaction base;
    private final List<Value> values;

    private SecretRedaction(ArtifactRedaction base, List<Value> values) {
        this.base = base;
        this.values = values;
    }

    /** {@code base}, also replacing the values of {@code secrets}; {@code base} itself when there are none. */
    public static ArtifactRedaction of(Collection<Secret> secrets, ArtifactRedaction base) {
        List<Value> values = new ArrayList<>();
        for (Secret secret : secrets) {
            byte[] bytes = secret.value().bytes();
            if (bytes.length < MIN_REDACTED) {
                continue;
            }
            try {
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
                values.add(new Value(secret.name(), text));
                // a diff line has no line break: each line of a multi-line value is replaced on its own
                for (String line : text.split("\r?\n")) {
                    if (line.getBytes(StandardCharsets.UTF_8).length >= MIN_REDACTED && !line.equals(text)) {
                        values.add(new Value(secret.name(), line));
                    }
                }
            } catch (CharacterCodingException e) {
                // not text: a diff of text cannot show it (texts that are not UTF-8 are not diffed)
            }
        }
        if (values.isEmpty()) {
            return base;
        }
        values.sort(Comparator.comparingInt((Value v) -> v.text().length()).reversed());
        return new SecretRedaction(base, List.copyOf(values));
    }

    @Override
    public boolean hides(String role) {
        return base.hides(role);
    }

    @Override
    public String redact(String role, String line) {
        String redacted = base.redact(role, line);
        for (Value value : values) {
            redacted = redacted.replace(value.text(), "<secret " + value.name() + ">");
        }
        return redacted;
    }
}
