package dev.keyline.common.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * An audit event carries what a caller sent (an API connector's request path, a name); PostgreSQL
 * text cannot hold U+0000, so such an event failed its insert and the request with a 500. The row
 * replaces what the column cannot hold instead.
 */
class AuditRowTest {

    @Test
    void nulAndLoneSurrogatesAreReplacedInEveryTextColumn() throws Exception {
        String hostile = "a\u0000b\ud800c";
        Map<Integer, String> bound = insert(new AuditRow(hostile, hostile, hostile, hostile, hostile, Outcome.DENIED,
                hostile, hostile));
        for (int column : new int[] { 2, 3, 4, 5, 6, 8, 9 }) {
            assertThat(bound.get(column)).as("parameter %d", column).isEqualTo("a\ufffdb\ufffdc");
        }
        assertThat(bound.get(7)).isEqualTo("DENIED");
    }

    @Test
    void ordinaryTextAndSurrogatePairsAreKept() throws Exception {
        String text = "GET /v1/ä 😀\ttab";
        Map<Integer, String> bound = insert(new AuditRow(text, null, "a", "r", text, Outcome.SUCCESS, null, text));
        assertThat(bound.get(2)).isSameAs(text);
        assertThat(bound.get(3)).isNull();
        assertThat(bound.get(9)).isEqualTo(text);
    }

    @Test
    void aCutThroughASurrogatePairLeavesNoHalfOfIt() {
        assertThat(AuditRow.text("ab😀", 3)).isEqualTo("ab\ufffd");
        assertThat(AuditRow.text("ab😀", 4)).isEqualTo("ab😀");
    }

    /** The string parameters {@link AuditRow#insert} binds, by index, on a stand-in connection. */
    private static Map<Integer, String> insert(AuditRow row) throws Exception {
        Map<Integer, String> bound = new HashMap<>();
        PreparedStatement ps = (PreparedStatement) Proxy.newProxyInstance(AuditRowTest.class.getClassLoader(),
                new Class<?>[] { PreparedStatement.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "setString" -> {
                        bound.put((Integer) args[0], (String) args[1]);
                        yield null;
                    }
                    case "executeUpdate" -> 1;
                    default -> null;
                });
        Connection c = (Connection) Proxy.newProxyInstance(AuditRowTest.class.getClassLoader(),
                new Class<?>[] { Connection.class }, (proxy, method, args) -> method.getName().equals("prepareStatement")
                        ? ps : null);
        row.insert(c);
        return bound;
    }
}
