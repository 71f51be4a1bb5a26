package dev.deploy.module;

import dev.deploy.DeployException;
import dev.deploy.Location;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Follows what one host's evaluation is in the middle of: the chain of options, files and services being evaluated
 * (a repeat is a reference cycle; more than {@link #MAX_DEPTH} is refused before the Java stack runs out), and the
 * roots each of them uses, which its callers use too (so a service restarts when any input changes).
 */
final class Tracker {

    /** How deep evaluations may nest (options referencing options referencing ...). */
    static final int MAX_DEPTH = 100;

    private final List<String> stack = new ArrayList<>();
    private final Deque<Set<String>> collecting = new ArrayDeque<>();

    /** Starts evaluating {@code what}, referenced at {@code at}. */
    void enter(String what, Location at) {
        if (stack.contains(what)) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(what), stack.size()));
            cycle.add(what);
            throw DeployException.input(at, null, "reference cycle: " + String.join(" -> ", cycle));
        }
        if (stack.size() >= MAX_DEPTH) {
            throw DeployException.input(at, null, "references nested more than " + MAX_DEPTH + " deep ("
                    + stack.get(0) + " -> " + stack.get(1) + " -> ... -> " + what + ")");
        }
        stack.add(what);
        collecting.push(new TreeSet<>());
    }

    /** Ends the innermost evaluation; returns the roots it used, which its caller uses too. */
    Set<String> leave() {
        stack.remove(stack.size() - 1);
        Set<String> used = collecting.pop();
        uses(used);
        return new TreeSet<>(used);
    }

    /** Ends the innermost evaluation without passing what it used on to its caller. */
    void drop() {
        stack.remove(stack.size() - 1);
        collecting.pop();
    }

    /** Records that the current evaluation uses {@code roles} (null: nothing). */
    void uses(Set<String> roles) {
        if (roles != null && !collecting.isEmpty()) {
            collecting.peek().addAll(roles);
        }
    }
}
