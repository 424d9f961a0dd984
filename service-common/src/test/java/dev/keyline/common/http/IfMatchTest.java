package dev.keyline.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.keyline.common.problem.ProblemException;

/** PUT replaces a versioned resource only against the version the client read: If-Match is required. */
class IfMatchTest {

    @Test
    void aMissingHeaderIs428PreconditionRequired() {
        for (String absent : new String[] { null, "", "  " }) {
            assertThatThrownBy(() -> IfMatch.required(absent)).isInstanceOfSatisfying(ProblemException.class, p -> {
                assertThat(p.status()).isEqualTo(428);
                assertThat(p.slug()).isEqualTo("precondition-required");
                assertThat(p.errors()).extracting(e -> e.field()).containsExactly("If-Match");
            });
        }
    }

    @Test
    void theVersionIsReadFromAStrongTag() {
        assertThat(IfMatch.required("\"7\"")).isEqualTo(7L);
        assertThat(IfMatch.required(" \"7\" ")).isEqualTo(7L);
        assertThat(IfMatch.version(null)).isNull();
    }

    /** RFC 9110 13.1.1: If-Match uses the strong comparison, a weak entity-tag never matches. */
    @Test
    void aWeakTagNeverMatches412() {
        for (String weak : new String[] { "W/\"7\"", "W/\"\"", "W/\"abc\"" }) {
            assertThatThrownBy(() -> IfMatch.required(weak)).as(weak)
                    .isInstanceOfSatisfying(ProblemException.class, p -> {
                        assertThat(p.status()).isEqualTo(412);
                        assertThat(p.errors()).extracting(e -> e.field()).containsExactly("If-Match");
                    });
        }
    }

    @Test
    void aValueThatIsNotAnEntityTagIs400NamingTheHeader() {
        for (String bad : new String[] { "7", "\"7", "7\"", "W/7", "W/\"7", "*", "\"7\", \"8\"", "\"7\"x",
                "\"a\"b\"", "\"7 \"", "\"\"", "\"abc\"" }) {
            assertThatThrownBy(() -> IfMatch.required(bad)).as(bad).isInstanceOfSatisfying(ProblemException.class, p -> {
                assertThat(p.status()).isEqualTo(400);
                assertThat(p.errors()).extracting(e -> e.field()).containsExactly("If-Match");
            });
        }
    }

    /** A resource whose tag is another number than the row's ETag (credentials) names it in the 400 too, not the ETag. */
    @Test
    void aMalformedTagOfAnotherVersionNamesThatVersion() {
        for (String bad : new String[] { "2", "\"abc\"" }) {
            assertThatThrownBy(() -> IfMatch.required(bad, "the credentialVersion you read with GET", "a key swapped since",
                    "is required")).as(bad).isInstanceOfSatisfying(ProblemException.class, p -> {
                        assertThat(p.status()).isEqualTo(400);
                        assertThat(p.errors()).singleElement().satisfies(e -> assertThat(e.reason())
                                .contains("credentialVersion").doesNotContain("ETag"));
                    });
        }
    }

    /** The key slots' tag is a fingerprint, not a version: the same entity-tag rule, the content handed back. */
    @Test
    void strongTagGivesWhatIsBetweenTheQuotes() {
        assertThat(IfMatch.strongTag("\"SHA256:ab+/c=\"")).isEqualTo("SHA256:ab+/c=");
        assertThat(IfMatch.strongTag(null)).isNull();
        assertThatThrownBy(() -> IfMatch.strongTag("SHA256:abc")).isInstanceOfSatisfying(ProblemException.class,
                p -> assertThat(p.status()).isEqualTo(400));
        assertThatThrownBy(() -> IfMatch.strongTag("W/\"SHA256:abc\"")).isInstanceOfSatisfying(ProblemException.class,
                p -> assertThat(p.status()).isEqualTo(412));
    }
}
