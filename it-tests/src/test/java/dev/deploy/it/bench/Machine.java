package dev.deploy.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The machine a benchmark ran on: cores, memory, CPU model, kernel, JDK. */
final class Machine {

    private Machine() {
    }

    static Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("cores", Runtime.getRuntime().availableProcessors());
        facts.put("memTotalKiB", procField("/proc/meminfo", "MemTotal"));
        facts.put("cpu", procField("/proc/cpuinfo", "model name"));
        facts.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        facts.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return facts;
    }

    static String describe() {
        Map<String, Object> f = facts();
        String mem = f.get("memTotalKiB").toString().replaceAll("[^0-9]", "");
        return String.format(Locale.ROOT, "%s cores (%s), %s RAM, %s, %s", f.get("cores"), f.get("cpu"),
                mem.isEmpty() ? "?" : String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(mem) / 1048576.0),
                f.get("kernel"), f.get("jdk"));
    }

    private static String procField(String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(field)) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }
}
