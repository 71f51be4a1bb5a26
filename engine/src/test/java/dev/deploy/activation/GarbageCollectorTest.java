package dev.deploy.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.plan.GenerationManifest;
import dev.deploy.store.StorePath;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {

    private static StorePath path(char c, String name) {
        return StorePath.parse(String.valueOf(c).repeat(32) + "-" + name);
    }

    private static GenerationInfo generation(int number, boolean current, StorePath... roots) {
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < roots.length; i++) {
            map.put("source/r" + i, roots[i].toString());
        }
        return new GenerationInfo(number, current,
                new GenerationManifest(1, number, "t", "h", map, new TreeMap<>(), new TreeMap<>()));
    }

    @Test
    void keepsTheNewestKAndTheCurrentAndEverythingTheyReference() {
        StorePath a = path('a', "site");
        StorePath b = path('b', "site");
        StorePath c = path('c', "site");
        StorePath stray = path('d', "stray");
        List<GenerationInfo> generations = List.of(generation(1, true, a), generation(2, false, b),
                generation(3, false, c));
        GarbageCollector.Collection collection = GarbageCollector.decide(generations, Set.of(a, b, c, stray), 1);
        assertThat(collection.generations()).containsExactly(2);
        assertThat(collection.storePaths()).containsExactly(b, stray);
    }
}
