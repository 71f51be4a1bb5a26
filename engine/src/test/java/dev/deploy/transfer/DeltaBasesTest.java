package dev.deploy.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.plan.GenerationManifest;
import dev.deploy.store.Artifact;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DeltaBasesTest {

    private static Artifact artifact(String name, String content) {
        return new MemoryTree().file("f", content, false).toArtifact(name, "test");
    }

    private static GenerationManifest manifest(String role, Artifact root, String service, Artifact unit) {
        TreeMap<String, String> roots = new TreeMap<>();
        roots.put(role, root.storePath().toString());
        TreeMap<String, GenerationManifest.ServiceEntry> services = new TreeMap<>();
        services.put(service, new GenerationManifest.ServiceEntry(unit.storePath().toString(), new TreeMap<>(), null));
        return new GenerationManifest(1, 1, "t", "h", roots, new TreeMap<>(), services);
    }

    @Test
    void theCurrentGenerationsPathInTheSameRoleIsPreferredAndOtherSameNamePathsFollow() {
        Artifact old = artifact("site", "1");
        Artifact older = artifact("site", "0");
        Artifact next = artifact("site", "2");
        Artifact unit = artifact("web.service", "u");
        Artifact other = artifact("other", "x");
        List<DeltaBases.Request> requests = DeltaBases.requests(List.of(next),
                manifest("source/web.site", next, "web", unit), Optional.of(manifest("source/web.site", old, "web", unit)),
                Set.of(old.storePath(), older.storePath(), unit.storePath(), other.storePath()));
        assertThat(requests).containsExactly(new DeltaBases.Request(next.storePath(), Optional.of(old.storePath()),
                List.of(older.storePath())));
    }

    @Test
    void aChangedUnitUsesTheServicesCurrentUnitAsBase() {
        Artifact site = artifact("site", "1");
        Artifact oldUnit = artifact("web.service", "u1");
        Artifact newUnit = artifact("renamed.service", "u2");
        List<DeltaBases.Request> requests = DeltaBases.requests(List.of(newUnit),
                manifest("source/s", site, "web", newUnit), Optional.of(manifest("source/s", site, "web", oldUnit)),
                Set.of(site.storePath(), oldUnit.storePath()));
        assertThat(requests).extracting(DeltaBases.Request::preferred).containsExactly(Optional.of(oldUnit.storePath()));
    }

    @Test
    void withoutACurrentGenerationOnlySameNamePathsAreCandidatesAndAPathWithNoneGetsNoRequest() {
        Artifact old = artifact("site", "1");
        Artifact next = artifact("site", "2");
        Artifact fresh = artifact("fresh", "f");
        Artifact unit = artifact("web.service", "u");
        List<DeltaBases.Request> requests = DeltaBases.requests(List.of(next, fresh),
                manifest("source/web.site", next, "web", unit), Optional.empty(), Set.of(old.storePath()));
        assertThat(requests).containsExactly(new DeltaBases.Request(next.storePath(), Optional.empty(),
                List.of(old.storePath())));
    }

    @Test
    void aRolesOldPathThatIsNoLongerInTheStoreIsNotPreferred() {
        Artifact gone = artifact("site", "1");
        Artifact next = artifact("site", "2");
        Artifact unit = artifact("web.service", "u");
        List<DeltaBases.Request> requests = DeltaBases.requests(List.of(next),
                manifest("source/web.site", next, "web", unit), Optional.of(manifest("source/web.site", gone, "web", unit)),
                Set.<StorePath>of());
        assertThat(requests).isEmpty();
    }
}
