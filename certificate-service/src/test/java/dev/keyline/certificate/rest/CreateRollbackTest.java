package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A create writes Vault while it inserts the row. When the insert fails for another reason than a
 * taken name, the answer is an error, no row exists and the secret Vault
 * was writing meanwhile is deleted again. The failure is made by a trigger refusing one name.
 */
@QuarkusTest
class CreateRollbackTest {

    private static final String MOUNT = "secret";

    @InjectVaultEmulator
    VaultEmulator vault;

    @Inject
    DataSource dataSource;

    @AfterEach
    void dropTrigger() throws SQLException {
        sql("drop trigger if exists refuse_name on certificate; drop function if exists refuse_name()");
    }

    @Test
    void anInsertThatFailsAfterTheNameCheckLeavesNoRowAndNoSecret() throws SQLException {
        String name = uniqueName("refused-insert");
        sql("create function refuse_name() returns trigger language plpgsql as $$ begin "
                + "if new.name = '" + name + "' then raise exception 'refused by the test'; end if; return new; end $$; "
                + "create trigger refuse_name before insert on certificate for each row execute function refuse_name()");
        Set<String> before = Set.copyOf(vault.secretPaths(MOUNT));

        int status = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name))
                .when().post("/api/v1/certificates").then().contentType("application/problem+json").extract().statusCode();

        assertThat(status).isGreaterThanOrEqualTo(500);
        given().header("Authorization", READER).queryParam("name", name).when().get("/api/v1/certificates")
                .then().statusCode(200).body("total", equalTo(0));
        assertThat(vault.secretPaths(MOUNT)).isEqualTo(before);
    }

    private void sql(String statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statements);
        }
    }
}
