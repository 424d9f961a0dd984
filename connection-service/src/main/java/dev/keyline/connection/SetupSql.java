package dev.keyline.connection;

import java.util.List;
import java.util.UUID;

/**
 * The Snowflake statements an administrator runs once for a connection, one by one and joined
 * ({@code ;} and a newline after each): what {@code GET …/setup-sql} answers.
 */
public record SetupSql(UUID connectionId, List<String> statements, String sql) {

    public static SetupSql of(UUID connectionId, List<String> statements) {
        return new SetupSql(connectionId, statements,
                statements.stream().map(s -> s + ";\n").collect(java.util.stream.Collectors.joining()));
    }
}
