package dev.deploy.render;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rendered text that remembers where each run of its characters was written ({@link Origin}), so that a value
 * rejected by a target (a control character in a unit setting) is reported with the inventory or module line that
 * set it. Immutable; at most {@link #MAX_LENGTH} characters.
 */
public final class Text {

    /** Characters one rendered value may have (4 Mi): templates that reference each other cannot grow without end. */
    public static final int MAX_LENGTH = 4 * 1024 * 1024;

    private final String value;
    /** Start offset of each run, ascending, the first 0; run i has origin {@code origins[i]}. */
    private final int[] starts;
    private final Origin[] origins;

    private Text(String value, int[] starts, Origin[] origins) {
        this.value = value;
        this.starts = starts;
        this.origins = origins;
    }

    /** {@code value}, all written at {@code origin}. */
    public static Text of(String value, Origin origin) {
        return new Text(value, new int[] {0}, new Origin[] {origin});
    }

    public String value() {
        return value;
    }

    public int length() {
        return value.length();
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** A run of characters written at one place. */
    public record Run(String text, Origin origin) {
    }

    /** The runs of this text, in order (none for an empty text). */
    public List<Run> runs() {
        List<Run> runs = new ArrayList<>(starts.length);
        for (int run = 0; run < starts.length; run++) {
            int end = run + 1 < starts.length ? starts[run + 1] : value.length();
            if (end > starts[run]) {
                runs.add(new Run(value.substring(starts[run], end), origins[run]));
            }
        }
        return runs;
    }

    /** Where the character at {@code index} was written. */
    public Origin originAt(int index) {
        int run = Arrays.binarySearch(starts, index);
        return origins[run >= 0 ? run : -run - 2];
    }

    /** The characters {@code [begin, end)} with their origins. */
    public Text substring(int begin, int end) {
        Builder out = new Builder();
        for (int run = 0; run < starts.length; run++) {
            int from = Math.max(begin, starts[run]);
            int to = Math.min(end, run + 1 < starts.length ? starts[run + 1] : value.length());
            if (from < to) {
                out.append(value.substring(from, to), origins[run]);
            }
        }
        return out.build(origins[0]);
    }

    /** Without leading and trailing white space (as {@link String#strip()}). */
    public Text strip() {
        int begin = 0;
        int end = value.length();
        while (begin < end && Character.isWhitespace(value.charAt(begin))) {
            begin++;
        }
        while (end > begin && Character.isWhitespace(value.charAt(end - 1))) {
            end--;
        }
        return begin == 0 && end == value.length() ? this : substring(begin, end);
    }

    /** Pieces of text joined with {@code separator}, written at {@code separatorOrigin}. */
    public static Text join(List<Text> parts, String separator, Origin separatorOrigin) {
        Builder out = new Builder();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out.append(separator, separatorOrigin);
            }
            out.append(parts.get(i));
        }
        return out.build(separatorOrigin);
    }

    @Override
    public String toString() {
        return value;
    }

    /** Builds a {@link Text} from runs; the caller checks {@link #length()} against {@link #MAX_LENGTH}. */
    public static final class Builder {
        private final StringBuilder value = new StringBuilder();
        private final List<Integer> starts = new ArrayList<>();
        private final List<Origin> origins = new ArrayList<>();

        public Builder append(String text, Origin origin) {
            if (text.isEmpty()) {
                return this;
            }
            if (origins.isEmpty() || !origins.get(origins.size() - 1).equals(origin)) {
                starts.add(value.length());
                origins.add(origin);
            }
            value.append(text);
            return this;
        }

        public Builder append(Text text) {
            text.runs().forEach(run -> append(run.text(), run.origin()));
            return this;
        }

        public int length() {
            return value.length();
        }

        /**
         * The text built; an empty text keeps {@code emptyOrigin} so that it still says where it was written.
         */
        public Text build(Origin emptyOrigin) {
            if (origins.isEmpty()) {
                return Text.of("", emptyOrigin);
            }
            return new Text(value.toString(), starts.stream().mapToInt(Integer::intValue).toArray(),
                    origins.toArray(Origin[]::new));
        }
    }
}
