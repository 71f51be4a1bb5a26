package dev.deploy.render;

import dev.deploy.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds renderer input from a template string for tests: {@code ${name}} is a value, {@code @{name}} a list. */
final class Pieces {

    static final Origin MODULE = new Origin(new Location("modules/m.yaml", 9, 11), "services.m.exec");
    static final Origin INVENTORY = new Origin(new Location("inventory.yaml", 6, 15), "hosts.h1.options.m.v");
    static final Site SITE = new Site("h1", MODULE.location(), MODULE.field());

    private Pieces() {
    }

    static List<Piece> of(String template, Map<String, String> values) {
        return of(template, values, Map.of());
    }

    /** Like a module template: {@code $${} is a literal {@code ${}. */
    static List<Piece> of(String template, Map<String, String> values, Map<String, List<String>> lists) {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder syntax = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith("$${", i)) {
                syntax.append("${");
                i += 3;
            } else if (template.startsWith("${", i) || template.startsWith("@{", i)) {
                if (syntax.length() > 0) {
                    pieces.add(new Piece.Syntax(syntax.toString(), MODULE));
                    syntax.setLength(0);
                }
                int end = template.indexOf('}', i);
                String name = template.substring(i + 2, end);
                if (template.charAt(i) == '$') {
                    pieces.add(new Piece.Value(Text.of(values.get(name), INVENTORY), name));
                } else {
                    pieces.add(new Piece.Items(lists.get(name).stream().map(item -> Text.of(item, INVENTORY))
                            .toList(), name));
                }
                i = end + 1;
            } else {
                syntax.append(template.charAt(i++));
            }
        }
        if (syntax.length() > 0) {
            pieces.add(new Piece.Syntax(syntax.toString(), MODULE));
        }
        return pieces;
    }
}
