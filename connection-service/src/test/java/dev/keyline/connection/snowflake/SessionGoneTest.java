package dev.keyline.connection.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** Which failures of a reused key-admin session mean the session is gone (a fresh login is tried once). */
class SessionGoneTest {

    @Test
    void endedExpiredOrClosedSessionsAreGone() {
        assertThat(SnowflakeGateway.sessionGone(new SQLException("Session no longer exists", "08001", 390111))).isTrue();
        assertThat(SnowflakeGateway.sessionGone(new SQLException("session expired", null, 390112))).isTrue();
        assertThat(SnowflakeGateway.sessionGone(new SQLException("master token expired", null, 390114))).isTrue();
        assertThat(SnowflakeGateway.sessionGone(new SQLException("Connection is closed", "08003", 200052))).isTrue();
        assertThat(SnowflakeGateway.sessionGone(
                new SQLException("network", null, 200015, new IOException("connection reset")))).isTrue();
    }

    @Test
    void statementErrorsAndTimeoutsAreNot() {
        assertThat(SnowflakeGateway.sessionGone(new SQLException("Insufficient privileges", "42501", 3001))).isFalse();
        assertThat(SnowflakeGateway.sessionGone(new SQLException("does not exist", "02000", 2003))).isFalse();
        assertThat(SnowflakeGateway.sessionGone(new SQLException("internal error", "XX000", 603))).isFalse();
        assertThat(SnowflakeGateway.sessionGone(
                new SQLException("network", null, 200015, new SocketTimeoutException("read timed out")))).isFalse();
    }
}
