package dev.deploy.render;

import java.util.List;

/**
 * Renders a template as plain text (a file's contents, a description, an environment value, a path): values are
 * inserted as they are, a {@code list} option's items joined with single spaces. Targets with a syntax of their own
 * check or escape the result ({@link UnitSettings}) or use a renderer that knows it ({@link ShellCommandLine},
 * {@link SystemdCommandLine}).
 */
public final class PlainText {

    private PlainText() {
    }

    /** The text; longer than {@link Text#MAX_LENGTH} is an error at {@code site}. */
    public static Text render(List<Piece> pieces, Site site, Origin empty) {
        Text.Builder out = new Text.Builder();
        for (Piece piece : pieces) {
            if (piece instanceof Piece.Syntax syntax) {
                append(out, Text.of(syntax.text(), syntax.origin()), site);
            } else if (piece instanceof Piece.Value value) {
                append(out, value.text(), site);
            } else {
                List<Text> items = ((Piece.Items) piece).items();
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        append(out, Text.of(" ", items.get(i).isEmpty() ? empty : items.get(i).originAt(0)), site);
                    }
                    append(out, items.get(i), site);
                }
            }
        }
        return out.build(empty);
    }

    private static void append(Text.Builder out, Text text, Site site) {
        if ((long) out.length() + text.length() > Text.MAX_LENGTH) {
            throw site.reject("the rendered text would be longer than " + Text.MAX_LENGTH + " characters");
        }
        out.append(text);
    }
}
