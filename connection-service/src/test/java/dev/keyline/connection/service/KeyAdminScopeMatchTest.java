package dev.keyline.connection.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import dev.keyline.common.problem.FieldError;

/** Declared names and patterns resolve as Snowflake resolves user names: unquoted ones upper-cased. */
class KeyAdminScopeMatchTest {

    @Test
    void unquotedNamesAndPatternsAreCaseInsensitiveLikeSnowflakesOwn() {
        assertThat(KeyAdminScope.matches("svc_*", "SVC_ORDERS")).isTrue();
        assertThat(KeyAdminScope.matches("SVC_ORDERS", "SVC_ORDERS")).isTrue();
        assertThat(KeyAdminScope.matches("svc_orders", "SVC_ORDERS")).isTrue();
        assertThat(KeyAdminScope.matches("*_LOADER", "ETL_LOADER")).isTrue();
        assertThat(KeyAdminScope.matches("SVC_*", "ADMIN")).isFalse();
        assertThat(KeyAdminScope.matches("SVC_*", "XSVC_ORDERS")).isFalse();
        assertThat(KeyAdminScope.matches("SVC", "SVC_ORDERS")).isFalse();
    }

    @Test
    void namesThatNeedQuotesMatchExactly() {
        assertThat(KeyAdminScope.matches("svc.loader-*", "svc.loader-1")).isTrue();
        assertThat(KeyAdminScope.matches("svc.loader-*", "SVC.LOADER-1")).isFalse();
        // Regular-expression characters are literal.
        assertThat(KeyAdminScope.matches("a.b", "aXb")).isFalse();
    }

    @Test
    void everyoneAndBlanksCannotBeDeclared() {
        List<FieldError> errors = new ArrayList<>();
        List<String> kept = KeyAdminScope.validate(Arrays.asList("SVC_*", "*", " ", "**", "SVC_*", null), errors);
        assertThat(kept).containsExactly("SVC_*");
        assertThat(errors).extracting(FieldError::field).containsExactly("details.managesUsers[1]",
                "details.managesUsers[2]", "details.managesUsers[3]", "details.managesUsers[5]");
    }

    @Test
    void manyStarsAgainstALongNameAnswerAtOnce() {
        // Both sides are the caller's: a declared pattern and a user name, each up to 255 characters. As a
        // regular expression (.* between literals) this one backtracks for longer than anyone waits.
        String name = "A".repeat(255);
        String pattern = "*A".repeat(100) + "*B";
        boolean matched = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> KeyAdminScope.matches(pattern, name));
        assertThat(matched).isFalse();
        assertThat(KeyAdminScope.matches("*A".repeat(100) + "*", name)).isTrue();
    }

    @Test
    void starsMeanWhatTheyMeantAsARegularExpression() {
        // Every pattern and name over a small alphabet, against the regular-expression reading it replaced.
        Random random = new Random(42);
        String alphabet = "AB*";
        for (int i = 0; i < 20_000; i++) {
            String pattern = randomText(random, alphabet, 7);
            String name = randomText(random, "AB", 9);
            String regex = String.join(".*", Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).toList());
            assertThat(KeyAdminScope.glob(pattern, name)).as("%s against %s", pattern, name)
                    .isEqualTo(Pattern.compile(regex, Pattern.DOTALL).matcher(name).matches());
        }
    }

    private static String randomText(Random random, String alphabet, int maxLength) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
