package dev.deploy.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.yaml.YamlFiles;
import dev.deploy.yaml.YamlValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a source is written, parsed by the one grammar (Nix flake-reference syntax); malformed ones named. */
class SourceSpecsTest {

    @TempDir
    Path tmp;

    private static final String ID = "57148484348ca33f170ab85f00debe67cc3b265f";

    private SourceSpec parse(String yamlValue) throws Exception {
        Path file = Files.writeString(tmp.resolve("inventory.yaml"), "source: " + yamlValue + "\n");
        YamlValue value = YamlFiles.load(file).map().require("source");
        return SourceSpecs.parse(value, tmp);
    }

    private SourceSpec.GitSource git(String yamlValue) throws Exception {
        return (SourceSpec.GitSource) parse(yamlValue);
    }

    private String error(String yamlValue) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> parse(yamlValue));
        assertThat(thrown).as(yamlValue).isInstanceOf(DeployException.class);
        DeployException e = (DeployException) thrown;
        assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT);
        assertThat(e.getMessage()).as("names file:line").startsWith(tmp.resolve("inventory.yaml") + ":1:");
        return e.getMessage();
    }

    @Test
    void githubReferencesBecomeHttpsUrlsWithRefOrRev() throws Exception {
        SourceSpec.GitSource tag = git("github:lnbits/lnbits/v1.0.0");
        assertThat(tag.url()).isEqualTo("https://github.com/lnbits/lnbits.git");
        assertThat(tag.ref()).contains("v1.0.0");
        assertThat(tag.rev()).isEmpty();
        assertThat(tag.written()).isEqualTo("github:lnbits/lnbits/v1.0.0");

        SourceSpec.GitSource head = git("github:lnbits/lnbits");
        assertThat(head.ref()).isEmpty();
        assertThat(head.rev()).isEmpty();
        assertThat(head.wanted()).isEqualTo("HEAD");

        SourceSpec.GitSource rev = git("github:lnbits/lnbits/" + ID.toUpperCase());
        assertThat(rev.rev()).contains(ID);
        assertThat(rev.ref()).isEmpty();

        SourceSpec.GitSource params = git("\"github:o/r?ref=release/1.0&dir=sub/app&host=git.example.org\"");
        assertThat(params.url()).isEqualTo("https://git.example.org/o/r.git");
        assertThat(params.ref()).contains("release/1.0");
        assertThat(params.dir()).contains("sub/app");
    }

    @Test
    void gitlabReferencesTakeSubgroupsAndAHost() throws Exception {
        SourceSpec.GitSource group = git("gitlab:veloren%2Fdev/rfcs/main");
        assertThat(group.url()).isEqualTo("https://gitlab.com/veloren/dev/rfcs.git");
        assertThat(group.ref()).contains("main");
        assertThat(git("\"gitlab:o/r?host=gitlab.example.org:8443\"").url())
                .isEqualTo("https://gitlab.example.org:8443/o/r.git");
    }

    @Test
    void gitPlusUrlsKeepTheirUrlAndTakeRefRevAndDir() throws Exception {
        SourceSpec.GitSource https = git("\"git+https://git.example.org/team/app.git?ref=v2&dir=web\"");
        assertThat(https.url()).isEqualTo("https://git.example.org/team/app.git");
        assertThat(https.ref()).contains("v2");
        assertThat(https.dir()).contains("web");
        assertThat(git("git+ssh://git@git.example.org/team/app.git?rev=" + ID).rev()).contains(ID);
        assertThat(git("git+git://127.0.0.1:9418/app.git").url()).isEqualTo("git://127.0.0.1:9418/app.git");
        SourceSpec.GitSource file = git("\"git+file:///srv/repos/app?ref=main\"");
        assertThat(file.url()).isEqualTo("/srv/repos/app");
        assertThat(file.isLocal()).isTrue();
        assertThat(git("git+file:repos/app").url()).isEqualTo(tmp.resolve("repos/app").toString());
    }

    @Test
    void theOriginalFormsStillWork() throws Exception {
        SourceSpec.GitSource old = git("git:https://git.example.org/app.git#v1.4.0");
        assertThat(old.url()).isEqualTo("https://git.example.org/app.git");
        assertThat(old.ref()).contains("v1.4.0");
        SourceSpec.GitSource local = git("git:../repo#main");
        assertThat(local.url()).isEqualTo(tmp.getParent().resolve("repo").toString());
        SourceSpec.GitSource map = git("{git: https://git.example.org/app.git, ref: main, dir: web}");
        assertThat(map.dir()).contains("web");
        assertThat(git("{git: https://git.example.org/app.git, rev: " + ID + "}").rev()).contains(ID);
        SourceSpec.PathSource path = (SourceSpec.PathSource) parse("{path: site, exclude: [node_modules/], "
                + "ignoreFiles: [.gitignore]}");
        assertThat(path.dir()).isEqualTo(tmp.resolve("site"));
        assertThat(path.excludes()).containsExactly("node_modules/");
        assertThat(path.ignoreFiles()).containsExactly(".gitignore");
        assertThat(((SourceSpec.PathSource) parse("path:../www")).dir()).isEqualTo(tmp.getParent().resolve("www"));
    }

    @Test
    void headAsTheRefMeansTheDefaultBranchInEveryForm() throws Exception {
        // git rev-parse HEAD is the checked-out (default) branch; as a ref name refs/heads/HEAD never exists
        for (String written : List.of("github:o/r/HEAD", "\"github:o/r?ref=HEAD\"", "\"git+https://h/x?ref=HEAD\"",
                "git:https://h/x#HEAD", "{git: https://h/x, ref: HEAD}", "sourcehut:~o/r/HEAD")) {
            SourceSpec.GitSource spec = git(written);
            assertThat(spec.ref()).as(written).isEmpty();
            assertThat(spec.rev()).as(written).isEmpty();
            assertThat(spec.wanted()).as(written).isEqualTo("HEAD");
        }
    }

    @Test
    void sourcehutReferencesBecomeHttpsUrlsLikeNixs() throws Exception {
        SourceSpec.GitSource ref = git("sourcehut:~sircmpwn/hello/main");
        assertThat(ref.url()).isEqualTo("https://git.sr.ht/~sircmpwn/hello");
        assertThat(ref.ref()).contains("main");
        assertThat(git("sourcehut:~sircmpwn/hello/" + ID).rev()).contains(ID);
        SourceSpec.GitSource own = git("\"sourcehut:~o/r?host=git.example.org&dir=web\"");
        assertThat(own.url()).isEqualTo("https://git.example.org/~o/r");
        assertThat(own.dir()).contains("web");
        assertThat(error("sourcehut:o/r")).contains("'o' is not a valid owner");
        assertThat(error("sourcehut:~o")).contains("expected sourcehut:~OWNER/REPO");
    }

    @Test
    void aHostParameterWithAPortOutsideTheTcpRangeIsMalformed() {
        assertThat(error("\"github:o/r?host=git.example.org:99999\"")).contains("not a host name");
        assertThat(error("\"gitlab:o/r?host=git.example.org:0\"")).contains("not a host name");
    }

    @Test
    void malformedReferencesAreInputErrorsNamingFileAndLine() {
        assertThat(error("github:lnbits")).contains("expected github:OWNER/REPO");
        assertThat(error("github:a/b/c/d")).contains("expected github:OWNER/REPO");
        assertThat(error("\"github:a/b/v1?ref=v2\"")).contains("given twice");
        assertThat(error("\"github:a/b?narHash=sha256-x\"")).contains("unsupported parameter 'narHash'");
        assertThat(error("\"github:a/b#main\"")).contains("'#' has no meaning");
        assertThat(error("\"github:a/b?rev=abc123\"")).contains("not a full commit id");
        assertThat(error("\"github:a/b?dir=../etc\"")).contains("plain relative path");
        assertThat(error("\"github:a/b?ref=bad..ref\"")).contains("not a valid git ref name");
        assertThat(error("\"github:a/b?host=evil.org/x\"")).contains("not a host name");
        assertThat(error("\"github:-a/b\"")).contains("not a valid owner");
        assertThat(error("\"git+ftp://host/x\"")).contains("unsupported scheme 'ftp'");
        assertThat(error("\"git+https:///x\"")).contains("expected git+https://HOST/PATH");
        assertThat(error("\"git+https://host/x?submodules=1\"")).contains("unsupported parameter 'submodules'");
        assertThat(error("\"git+https://host/x?ref\"")).contains("NAME=VALUE");
        assertThat(error("git:https://host/x")).contains("needs a ref");
        assertThat(error("\"git:https://host/x#-rf\"")).contains("not a valid git ref name");
        assertThat(error("\"path:\"")).contains("needs a directory");
        assertThat(error("https://github.com/lnbits/lnbits")).contains("expected path:DIR, github:");
        assertThat(error("{git: https://host/x}")).contains("needs 'ref'");
        assertThat(error("{path: site, exclude: ['#x']}")).contains("comment in gitignore syntax");
        assertThat(error("{path: site, ignoreFiles: [a/b]}")).contains("file name");
    }

    @Test
    void parsingNeverTouchesTheNetworkOrTheFileSystem() throws Exception {
        // a reference to a host that does not exist parses: resolution happens later, once per run
        assertThat(git("github:no-such-owner-xyz/no-such-repo/main").url())
                .isEqualTo("https://github.com/no-such-owner-xyz/no-such-repo.git");
        assertThat(parse("path:does/not/exist")).isInstanceOf(SourceSpec.PathSource.class);
        assertThat(git("git+https://h/x").ref()).isEqualTo(Optional.empty());
        assertThat(List.of(tmp.toFile().list())).containsExactly("inventory.yaml");
    }
}
