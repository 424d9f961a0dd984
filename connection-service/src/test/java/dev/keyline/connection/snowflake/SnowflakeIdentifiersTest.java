package dev.keyline.connection.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Identifiers are always double-quoted with quotes doubled, so no name can leave its identifier. */
class SnowflakeIdentifiersTest {

    @Test
    void plainNamesResolveUpperCasedLikeSnowflakeDoes() {
        assertThat(SnowflakeIdentifiers.user("svc_loader")).isEqualTo("\"SVC_LOADER\"");
        assertThat(SnowflakeIdentifiers.user("SVC$1")).isEqualTo("\"SVC$1\"");
    }

    @Test
    void otherNamesAreTakenExactly() {
        assertThat(SnowflakeIdentifiers.user("svc.loader-1")).isEqualTo("\"svc.loader-1\"");
        assertThat(SnowflakeIdentifiers.user("1st")).isEqualTo("\"1st\"");
        assertThat(SnowflakeIdentifiers.user("a b")).isEqualTo("\"a b\"");
    }

    @Test
    void quotesAreDoubled() {
        assertThat(SnowflakeIdentifiers.user("x\"; DROP USER admin; --")).isEqualTo("\"x\"\"; DROP USER admin; --\"");
        assertThat(SnowflakeIdentifiers.quote("\"")).isEqualTo("\"\"\"\"");
    }

    @Test
    void controlCharactersAndEmptyNamesAreRefused() {
        assertThatThrownBy(() -> SnowflakeIdentifiers.quote("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnowflakeIdentifiers.quote("")).isInstanceOf(IllegalArgumentException.class);
    }
}
