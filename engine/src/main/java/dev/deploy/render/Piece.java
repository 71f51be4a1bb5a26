package dev.deploy.render;

import java.util.List;

/**
 * One part of a template as the renderers of command lines see it: syntax written by the module's author, one
 * substituted value, or the items of a {@code list} option. Values are data: a renderer makes each one exactly one
 * word (each item of a list one word) of its target's syntax.
 */
public sealed interface Piece permits Piece.Syntax, Piece.Value, Piece.Items {

    /** Template text as written, interpreted in the target's syntax (quotes, escapes, operators). */
    record Syntax(String text, Origin origin) implements Piece {
    }

    /** A substituted value: one word, or part of the word it is written in. */
    record Value(Text text, String reference) implements Piece {
    }

    /** A {@code list} option's items: one word each; must stand as whole words. */
    record Items(List<Text> items, String reference) implements Piece {
    }
}
