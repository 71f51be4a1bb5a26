package dev.deploy.yaml;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * A YAML event stream with limits, between snakeyaml-engine's parser and its (recursive) composer: collections nested
 * deeper than {@link YamlLimits#MAX_DEPTH} and documents whose aliases expand to more than
 * {@link YamlLimits#MAX_EXPANDED_SIZE} units are refused before the composer recurses or anything walks the tree.
 *
 * <p>The expanded size counts one unit per node plus the characters of every scalar, with each alias counted as the
 * full size of the node it names (what a reader of the tree walks). That bounds the "billion laughs" document,
 * whose few bytes expand to gigabytes once its aliases are followed, and long lists of aliases of one big scalar.
 */
final class LimitedParser implements Parser {

    /** Thrown when a limit is exceeded; {@link YamlFiles} turns it into an input error at {@code mark}. */
    static final class LimitExceeded extends RuntimeException {
        final Optional<Mark> mark;

        LimitExceeded(String message, Optional<Mark> mark) {
            super(message, null, false, false);
            this.mark = mark;
        }
    }

    /** A collection being read: its anchor, if any, and the size of what it holds so far. */
    private static final class Open {
        final Optional<Anchor> anchor;
        long size = 1;

        Open(Optional<Anchor> anchor) {
            this.anchor = anchor;
        }
    }

    private final Parser delegate;
    private final Deque<Open> open = new ArrayDeque<>();
    private final Map<Anchor, Long> anchoredSizes = new HashMap<>();
    private long expanded;

    LimitedParser(Parser delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return delegate.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return delegate.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return delegate.hasNext();
    }

    @Override
    public Event next() {
        Event event = delegate.next();
        switch (event.getEventId()) {
            case MappingStart, SequenceStart -> {
                if (open.size() >= YamlLimits.MAX_DEPTH) {
                    throw new LimitExceeded("collections nested deeper than " + YamlLimits.MAX_DEPTH + " levels",
                            event.getStartMark());
                }
                open.push(new Open(((NodeEvent) event).getAnchor()));
            }
            case MappingEnd, SequenceEnd -> {
                Open done = open.pop();
                done.anchor.ifPresent(anchor -> anchoredSizes.put(anchor, done.size));
                add(done.size, event, false);
            }
            case Scalar -> {
                ScalarEvent scalar = (ScalarEvent) event;
                long size = 1L + scalar.getValue().length();
                scalar.getAnchor().ifPresent(anchor -> anchoredSizes.put(anchor, size));
                add(size, event, true);
            }
            case Alias -> add(anchoredSizes.getOrDefault(((AliasEvent) event).getAlias(), 1L), event, true);
            default -> {
            }
        }
        return event;
    }

    /**
     * Adds a finished node of {@code size} to the collection that holds it, and to the document's total: all of a
     * scalar's or alias's size ({@code whole}), one unit for a collection (its contents were counted already).
     */
    private void add(long size, Event event, boolean whole) {
        if (!open.isEmpty()) {
            open.peek().size += size;
        }
        expanded += whole ? size : 1;
        if (expanded > YamlLimits.MAX_EXPANDED_SIZE) {
            throw new LimitExceeded("the document expands to more than " + YamlLimits.MAX_EXPANDED_SIZE
                    + " characters and nodes once its aliases are followed", event.getStartMark());
        }
    }
}
