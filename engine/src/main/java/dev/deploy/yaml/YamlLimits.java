package dev.deploy.yaml;

/**
 * Limits on every YAML file deploy reads (inventories, modules, the option values in them), so that hostile input
 * is a one-line input error instead of a stack overflow, an exhausted heap or a run that never ends.
 */
public final class YamlLimits {

    /** Characters (Unicode code points) a file may have: 4 MiB, far above any inventory or module. */
    public static final int MAX_FILE_SIZE = 4 * 1024 * 1024;

    /**
     * How deep mappings and lists may nest. An inventory needs about six levels
     * ({@code hosts.web1.options.MODULE.OPTION.KEY}); the composer recurses once per level.
     */
    public static final int MAX_DEPTH = 64;

    /** Characters plus nodes a document may expand to once its aliases are followed (16 Mi). */
    public static final long MAX_EXPANDED_SIZE = 16L * 1024 * 1024;

    /** Aliases of mappings and lists a document may use (snakeyaml-engine's own limit, made explicit). */
    public static final int MAX_COLLECTION_ALIASES = 100;

    private YamlLimits() {
    }
}
