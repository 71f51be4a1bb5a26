package dev.deploy.cli;

import dev.deploy.cache.CacheConfig;
import dev.deploy.cli.json.ApplyDocument;
import java.util.List;

/** Whole {@code --json} documents built from {@link Fixtures}, for the tests of what prints them. */
final class Documents {

    private Documents() {
    }

    /** web1 applied, web2 rolled back by its failed health check. */
    static ApplyDocument apply() {
        return ApplyJson.document(Fixtures.rollout(List.of(Fixtures.applied(Fixtures.ssh("web1")),
                Fixtures.rolledBack(Fixtures.ssh("web2")))), Fixtures::stats, ExitCodes.HOST_FAILED, List.of(),
                CacheConfig.NONE);
    }
}
