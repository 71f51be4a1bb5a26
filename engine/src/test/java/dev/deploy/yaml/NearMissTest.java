package dev.deploy.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** "Did you mean ...?": near misses are suggested, unrelated names are not. */
class NearMissTest {

    private static final List<String> HOST_FIELDS = List.of("address", "become", "becomePasswordCommand", "groups",
            "local", "modules", "options", "port", "stateDir", "tags", "user");

    @Test
    void aMissingOrExtraOrWrongLetterIsSuggested() {
        assertThat(NearMiss.closest("optons", HOST_FIELDS)).containsExactly("options");
        assertThat(NearMiss.closest("adress", HOST_FIELDS)).containsExactly("address");
        assertThat(NearMiss.closest("locl", HOST_FIELDS)).containsExactly("local");
        assertThat(NearMiss.closest("statedir", HOST_FIELDS)).containsExactly("stateDir");
        assertThat(NearMiss.closest("becomePasswordCmd", HOST_FIELDS)).containsExactly("becomePasswordCommand");
    }

    @Test
    void swappedLettersFindTheWordWithThoseLettersNotAnotherAsFewEditsAway() {
        assertThat(NearMiss.closest("prot", List.of("port", "root", "site"))).containsExactly("port");
        assertThat(NearMiss.closest("usre", HOST_FIELDS)).containsExactly("user");
        assertThat(NearMiss.closest("wbe", List.of("web", "db"))).containsExactly("web");
    }

    @Test
    void anUnrelatedOrExactNameGetsNoSuggestion() {
        assertThat(NearMiss.closest("zzz", HOST_FIELDS)).isEmpty();
        assertThat(NearMiss.closest("z", List.of("a", "b"))).isEmpty();
        assertThat(NearMiss.closest("database", HOST_FIELDS)).isEmpty();
        assertThat(NearMiss.suggestion("port", HOST_FIELDS)).isEmpty();
        assertThat(NearMiss.suggestion("x", List.of())).isEmpty();
    }

    @Test
    void theSuggestionIsAClauseToAppendAfterTheName() {
        assertThat(NearMiss.suggestion("optons", HOST_FIELDS)).isEqualTo("; did you mean 'options'?");
        assertThat(NearMiss.suggestion("ab", List.of("aa", "bb"))).isEqualTo("; did you mean 'aa' or 'bb'?");
    }
}
