package dev.keyline.connection.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
}
