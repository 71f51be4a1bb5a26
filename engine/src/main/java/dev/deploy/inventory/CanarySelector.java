package dev.deploy.inventory;

import java.util.List;

/**
 * Which hosts form the canary batch that a rolling rollout deploys first, on its own: the first {@code N} hosts in
 * rollout order, or the hosts with a tag or group ({@code @tag}).
 */
public sealed interface CanarySelector {

    /** The first {@code count} hosts, at least 1. */
    record First(int count) implements CanarySelector {
        public First {
            if (count < 1) {
                throw new IllegalArgumentException("a canary batch needs at least 1 host, got " + count);
            }
        }

        @Override
        public List<Host> pick(List<Host> ordered) {
            return ordered.subList(0, Math.min(count, ordered.size()));
        }

        @Override
        public String toString() {
            return String.valueOf(count);
        }
    }

    /** The hosts that have tag or group {@code tag}. */
    record Tagged(String tag) implements CanarySelector {
        @Override
        public List<Host> pick(List<Host> ordered) {
            return ordered.stream().filter(host -> host.hasTag(tag)).toList();
        }

        @Override
        public String toString() {
            return "@" + tag;
        }
    }

    /** The canary hosts among {@code ordered}, in that order; may be empty for a tag no host has. */
    List<Host> pick(List<Host> ordered);

    /**
     * Parses {@code N} (a positive integer) or {@code @tag}.
     *
     * @throws IllegalArgumentException with a one-line reason when the text is neither
     */
    static CanarySelector parse(String text) {
        String value = text.strip();
        if (value.startsWith("@") && value.length() > 1) {
            return new Tagged(value.substring(1));
        }
        if (value.matches("[0-9]{1,9}")) {
            return new First(Integer.parseInt(value));
        }
        throw new IllegalArgumentException("expected a number of hosts (1) or a tag (@canary), got \"" + text + "\"");
    }
}
