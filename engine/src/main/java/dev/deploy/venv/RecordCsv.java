package dev.deploy.venv;

import java.util.ArrayList;
import java.util.List;

/** The CSV dialect of a wheel's {@code RECORD}: comma-separated, fields with commas or quotes in double quotes. */
final class RecordCsv {

    private RecordCsv() {
    }

    static String line(String... fields) {
        List<String> quoted = new ArrayList<>();
        for (String field : fields) {
            if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
                quoted.add("\"" + field.replace("\"", "\"\"") + "\"");
            } else {
                quoted.add(field);
            }
        }
        return String.join(",", quoted);
    }

    static List<String> parseLine(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
