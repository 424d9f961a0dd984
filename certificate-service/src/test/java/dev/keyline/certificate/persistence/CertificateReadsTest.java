package dev.keyline.certificate.persistence;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.USER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.persistence.Column;
import jakarta.persistence.Transient;

import org.junit.jupiter.api.Test;

import dev.keyline.certificate.CertificateFixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The plain JDBC reads of certificates and consumers ({@link CertificateReads}) give exactly what
 * Hibernate's mapping of the same rows gives, field by field, and name every column the entities map:
 * the column list is written twice, and this is what keeps the two in step.
 */
@QuarkusTest
class CertificateReadsTest {

    @Inject
    CertificateReads reads;

    @Test
    void everyMappedColumnIsRead() {
        assertThat(columns(CertificateReads.CERTIFICATE_COLUMNS, "c.")).isEqualTo(mappedColumns(CertificateEntity.class));
        assertThat(columns(CertificateReads.CONSUMER_COLUMNS, "k.")).isEqualTo(mappedColumns(CertificateConsumerEntity.class));
    }

    @Test
    void aCertificateWithConsumersReadsAsHibernateReadsIt() throws Exception {
        String name = uniqueName("reads");
        Map<String, Object> body = new java.util.HashMap<>(body(name));
        body.put("caCertificate", CertificateFixtures.CLIENT_CA.certificatePem());
        UUID id = UUID.fromString(given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id"));
        for (String consumer : List.of("b-2", "a-1")) {
            given().header("Authorization", USER).contentType(ContentType.JSON)
                    .body(Map.of("name", "API " + consumer, "service", "connection-service"))
                    .when().put("/api/v1/certificates/" + id + "/consumers/" + consumer).then().statusCode(201);
        }

        CertificateReads.WithConsumers byId = reads.byId(id).orElseThrow();
        CertificateReads.Page page = reads.page("%" + name.toLowerCase(Locale.ROOT) + "%", 0, 5);

        CertificateEntity hibernate = QuarkusTransaction.requiringNew().call(() -> CertificateEntity.findById(id));
        List<CertificateConsumerEntity> hibernateConsumers = QuarkusTransaction.requiringNew()
                .call(() -> CertificateConsumerEntity.of(id));
        assertThat(hibernate.caSubject).as("every column holds a value in this row").isNotNull();
        assertSameFields(byId.certificate(), hibernate);
        assertThat(page.total()).isEqualTo(1);
        assertSameFields(page.items().get(0).certificate(), hibernate);
        assertThat(byId.consumers()).extracting(k -> k.consumerId).containsExactly("a-1", "b-2");
        for (int i = 0; i < hibernateConsumers.size(); i++) {
            assertSameFields(byId.consumers().get(i), hibernateConsumers.get(i));
            assertSameFields(page.items().get(0).consumers().get(i), hibernateConsumers.get(i));
        }
    }

    @Test
    void aPagePastTheEndStillCountsAndAnUnknownIdIsEmpty() {
        String name = uniqueName("reads-end");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name))
                .when().post("/api/v1/certificates").then().statusCode(201);

        CertificateReads.Page past = reads.page("%" + name.toLowerCase(Locale.ROOT) + "%", 3, 2);

        assertThat(past.items()).isEmpty();
        assertThat(past.total()).isEqualTo(1);
        assertThat(reads.byId(UUID.randomUUID())).isEmpty();
    }

    private static void assertSameFields(Object jdbc, Object hibernate) throws IllegalAccessException {
        for (Field f : persistentFields(hibernate.getClass())) {
            f.setAccessible(true);
            assertThat(f.get(jdbc)).as(f.getName()).isEqualTo(f.get(hibernate));
        }
    }

    private static Set<String> columns(String list, String alias) {
        return Arrays.stream(list.split(",")).map(String::trim).map(c -> c.substring(alias.length()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Set<String> mappedColumns(Class<?> entity) {
        return persistentFields(entity).stream().map(f -> {
            Column column = f.getAnnotation(Column.class);
            return column != null && !column.name().isEmpty() ? column.name() : f.getName();
        }).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static List<Field> persistentFields(Class<?> entity) {
        return Arrays.stream(entity.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers())
                        && !f.isAnnotationPresent(Transient.class) && !f.getName().startsWith("$$_hibernate"))
                .toList();
    }
}
