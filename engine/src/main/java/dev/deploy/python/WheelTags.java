package dev.deploy.python;

import dev.deploy.DeployException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The wheel tags a CPython on Linux accepts, most preferred first, in the order {@code packaging.tags.sys_tags()}
 * produces them for a non-debug, GIL-enabled build:
 * <ol>
 *   <li>{@code cp3X-cp3X-<platform>}, then {@code cp3X-abi3-<platform>}, then {@code cp3X-none-<platform>};</li>
 *   <li>{@code cp3Y-abi3-<platform>} for Y from X-1 down to 2;</li>
 *   <li>{@code py3X-none-<platform>}, {@code py3-none-<platform>}, {@code py3Y-none-<platform>} for Y below X;</li>
 *   <li>{@code cp3X-none-any}, then {@code py3X-none-any}, {@code py3-none-any}, {@code py3Y-none-any}.</li>
 * </ol>
 * Platforms, most specific first: on glibc, {@code manylinux_2_N_arch} for N from the host's glibc minor down to
 * 17 (down to 5 on x86_64 and i686), each followed by its legacy alias where one exists ({@code manylinux2014} for
 * 2.17, {@code manylinux2010} for 2.12, {@code manylinux1} for 2.5); on musl, {@code musllinux_1_N_arch} for N
 * from the host's musl minor down to 0; then {@code linux_arch}.
 */
public final class WheelTags {

    private static final Map<String, String> LEGACY_MANYLINUX = Map.of(
            "2_17", "manylinux2014", "2_12", "manylinux2010", "2_5", "manylinux1");

    private final List<WheelTag> ordered;
    private final Map<WheelTag, Integer> priority;

    private WheelTags(List<WheelTag> ordered) {
        this.ordered = List.copyOf(ordered);
        this.priority = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            priority.putIfAbsent(ordered.get(i), i);
        }
    }

    /** The tags {@code target} accepts; only CPython 3 on Linux is supported. */
    public static WheelTags forTarget(TargetEnvironment target) {
        if (!target.implementation().equals("cpython")) {
            throw DeployException.input("wheel tags: only CPython is supported, not " + target.implementation());
        }
        if (!target.sysPlatform().equals("linux")) {
            throw DeployException.input("wheel tags: only Linux hosts are supported, not " + target.sysPlatform());
        }
        if (target.pythonMajor() != 3) {
            throw DeployException.input("wheel tags: only Python 3 is supported, not " + target.pythonVersion());
        }
        List<String> platforms = platforms(target.machine(), target.libc());
        int minor = target.pythonMinor();
        String cpython = "cp3" + minor;
        List<WheelTag> tags = new ArrayList<>();
        addForPlatforms(tags, cpython, cpython, platforms);
        if (minor >= 2) {
            addForPlatforms(tags, cpython, "abi3", platforms);
        }
        addForPlatforms(tags, cpython, "none", platforms);
        for (int older = minor - 1; older >= 2; older--) {
            addForPlatforms(tags, "cp3" + older, "abi3", platforms);
        }
        for (String python : pythonRange(minor)) {
            addForPlatforms(tags, python, "none", platforms);
        }
        tags.add(new WheelTag(cpython, "none", "any"));
        for (String python : pythonRange(minor)) {
            tags.add(new WheelTag(python, "none", "any"));
        }
        return new WheelTags(tags);
    }

    private static void addForPlatforms(List<WheelTag> tags, String interpreter, String abi, List<String> platforms) {
        for (String platform : platforms) {
            tags.add(new WheelTag(interpreter, abi, platform));
        }
    }

    /** {@code py3X}, {@code py3}, then {@code py3Y} for Y from X-1 down to 0. */
    private static List<String> pythonRange(int minor) {
        List<String> range = new ArrayList<>();
        range.add("py3" + minor);
        range.add("py3");
        for (int older = minor - 1; older >= 0; older--) {
            range.add("py3" + older);
        }
        return range;
    }

    /** The platform tags of a Linux host, most specific first. */
    static List<String> platforms(String machine, Libc libc) {
        List<String> platforms = new ArrayList<>();
        if (libc instanceof Libc.Glibc glibc) {
            int oldestMinor = machine.equals("x86_64") || machine.equals("i686") ? 5 : 17;
            for (int minor = glibc.minor(); minor >= oldestMinor && glibc.major() == 2; minor--) {
                String version = glibc.major() + "_" + minor;
                platforms.add("manylinux_" + version + "_" + machine);
                String legacy = LEGACY_MANYLINUX.get(version);
                if (legacy != null) {
                    platforms.add(legacy + "_" + machine);
                }
            }
        } else if (libc instanceof Libc.Musl musl) {
            for (int minor = musl.minor(); minor >= 0; minor--) {
                platforms.add("musllinux_" + musl.major() + "_" + minor + "_" + machine);
            }
        }
        platforms.add("linux_" + machine);
        return platforms;
    }

    /** All accepted tags, most preferred first. */
    public List<WheelTag> ordered() {
        return ordered;
    }

    /** The rank of {@code tag} (0 is best), or empty when the host does not accept it. */
    public OptionalInt priorityOf(WheelTag tag) {
        Integer rank = priority.get(tag);
        return rank == null ? OptionalInt.empty() : OptionalInt.of(rank);
    }

    /** The best rank among {@code tags}, or empty when the host accepts none of them. */
    public OptionalInt bestPriorityOf(Collection<WheelTag> tags) {
        return tags.stream().map(this::priorityOf).filter(OptionalInt::isPresent).mapToInt(OptionalInt::getAsInt).min();
    }
}
