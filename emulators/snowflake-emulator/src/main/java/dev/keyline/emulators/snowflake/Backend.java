package dev.keyline.emulators.snowflake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Everything the emulator knows and does, without HTTP: accounts, sessions, the endpoints' logic
 * as Snowflake envelopes, and the history tests assert on. All methods run under this object's
 * lock, so the state is always consistent for a request.
 */
final class Backend {

  static final String SERVER_VERSION = "9.40.0";
  private static final int RETAINED_HISTORY = 10_000;

  /** Timing rules; see {@link SnowflakeEmulator.Config}. */
  record Settings(
      Duration sessionTokenValidity,
      Duration masterTokenValidity,
      Clock clock) {}

  private final Settings settings;
  private final FaultInjector faults;
  private final JwtVerifier jwt;
  private final SqlEngine sql;
  private final Map<String, Account> accounts = new LinkedHashMap<>();
  private final Sessions sessions = new Sessions();
  private final Deque<ExecutedStatement> statements = new ArrayDeque<>();
  private final Deque<LoginAttempt> logins = new ArrayDeque<>();
  private int successfulLogins;

  Backend(Settings settings, FaultInjector faults) {
    this.settings = settings;
    this.faults = faults;
    this.jwt = new JwtVerifier();
    this.sql = new SqlEngine(faults, settings.clock(), SERVER_VERSION);
  }

  Instant now() {
    return settings.clock().instant();
  }

  // ---- /session/v1/login-request -----------------------------------------------------------

  /**
   * @param query the URL's query parameters: the driver sends role, warehouse, database and schema
   *     there ({@code roleName}, {@code warehouse}, {@code databaseName}, {@code schemaName})
   */
  synchronized ObjectNode login(JsonNode body, Map<String, String> query) {
    JsonNode data = body.path("data");
    String accountName = text(data, "ACCOUNT_NAME");
    String loginName = text(data, "LOGIN_NAME");
    String authenticator = text(data, "AUTHENTICATOR");
    Instant now = now();

    String injected = faults.takeLoginFailure(loginName);
    if (injected != null) {
      String message =
          switch (injected) {
            case "390144" -> jwtInvalidMessage();
            case "390189" -> roleNotGrantedMessage(query.getOrDefault("roleName", "PUBLIC"));
            case "390100" -> "Incorrect username or password was specified.";
            default -> "Injected login failure (snowflake-emulator).";
          };
      return loginFailed(accountName, loginName, null, injected, message, "injected failure");
    }
    if (authenticator == null || !authenticator.equalsIgnoreCase("SNOWFLAKE_JWT")) {
      // Users here have no password and no other authenticator is emulated.
      return loginFailed(
          accountName,
          loginName,
          null,
          "390100",
          "Incorrect username or password was specified.",
          "authenticator " + authenticator + " is not SNOWFLAKE_JWT");
    }
    JwtVerifier.Verified verified;
    try {
      verified = jwt.verify(text(data, "TOKEN"), accountName, loginName, accounts, now);
    } catch (JwtVerifier.Rejected e) {
      return loginFailed(
          accountName, loginName, e.fingerprint, "390144", jwtInvalidMessage(), e.getMessage());
    }
    Account account = verified.account();
    User user = verified.user();

    String role;
    String requestedRole = query.get("roleName");
    if (requestedRole != null && !requestedRole.isBlank()) {
      role = connectStringName(requestedRole);
      if (role == null
          || !account.roles.containsKey(role)
          || !account.availableRoles(user).contains(role)) {
        String shown = role == null ? requestedRole : role;
        return loginFailed(
            accountName,
            loginName,
            verified.fingerprint(),
            "390189",
            roleNotGrantedMessage(shown),
            "role " + shown + " is not granted to " + user.name);
      }
    } else {
      role =
          user.defaultRole != null && account.availableRoles(user).contains(user.defaultRole)
              ? user.defaultRole
              : Account.PUBLIC;
    }

    Session session =
        sessions.open(
            account, user, now, settings.sessionTokenValidity(), settings.masterTokenValidity());
    session.role = role;
    String warehouse = connectStringName(query.get("warehouse"));
    if (warehouse == null) {
      warehouse = user.defaultWarehouse;
    }
    // Snowflake logs in without a warehouse, database or schema that does not exist or that the
    // role may not use: the session just has none (CURRENT_WAREHOUSE() is NULL).
    Account.Warehouse usableWarehouse = account.usableWarehouse(role, warehouse);
    session.warehouse = usableWarehouse == null ? null : usableWarehouse.name;
    Account.Database db =
        account.usableDatabase(role, connectStringName(query.get("databaseName")));
    if (db != null) {
      session.database = db.name;
      String schema = connectStringName(query.get("schemaName"));
      if (schema == null) {
        schema = Account.PUBLIC;
      }
      session.schema = account.mayUseSchema(role, db, schema) ? schema : null;
    }

    successfulLogins++;
    remember(
        logins,
        new LoginAttempt(
            now,
            accountName,
            loginName,
            verified.fingerprint(),
            verified.slot(),
            role,
            true,
            null,
            "verified with key slot " + verified.slot()));

    ObjectNode out = Json.object();
    out.put("masterToken", session.masterToken);
    out.put("token", session.token);
    out.put("validityInSeconds", settings.sessionTokenValidity().toSeconds());
    out.put("masterValidityInSeconds", settings.masterTokenValidity().toSeconds());
    out.put("displayUserName", user.name);
    out.put("serverVersion", SERVER_VERSION);
    out.put("firstLogin", false);
    out.putNull("remMeToken");
    out.put("remMeValidityInSeconds", 0);
    out.put("healthCheckInterval", 45);
    out.putNull("newClientForUpgrade");
    out.put("sessionId", session.id);
    out.set("parameters", loginParameters());
    out.putNull("idToken");
    out.put("idTokenValidityInSeconds", 0);
    out.putNull("responseData");
    out.putNull("mfaToken");
    out.put("mfaTokenValidityInSeconds", 0);
    ObjectNode info = out.putObject("sessionInfo");
    putNullable(info, "databaseName", session.database);
    putNullable(info, "schemaName", session.schema);
    putNullable(info, "warehouseName", session.warehouse);
    putNullable(info, "roleName", session.role);
    return Envelopes.success(out);
  }

  private ObjectNode loginFailed(
      String account, String user, String fingerprint, String code, String message, String reason) {
    remember(logins, new LoginAttempt(now(), account, user, fingerprint, 0, null, false, code, reason));
    return Envelopes.failure(code, message, null);
  }

  private static String jwtInvalidMessage() {
    return "JWT token is invalid. [" + UUID.randomUUID() + "]";
  }

  private static String roleNotGrantedMessage(String role) {
    return "Role '"
        + role
        + "' specified in the connect string is not granted to this user. Contact your local"
        + " system administrator, or attempt to login with another role, e.g. PUBLIC.";
  }

  /** A role/warehouse/database name from the connect string, by identifier rules; null if absent. */
  private static String connectStringName(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return Identifiers.normalize(raw);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The session parameters the driver reads at login. AUTOCOMMIT is mandatory (the driver throws
   * a NullPointerException without it); the output formats and time zone make timestamps readable.
   */
  static ArrayNode loginParameters() {
    ArrayNode parameters = Json.array();
    parameter(parameters, "AUTOCOMMIT", true);
    parameter(parameters, "CLIENT_SESSION_KEEP_ALIVE", false);
    parameter(parameters, "CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY", 3600);
    parameter(parameters, "CLIENT_TELEMETRY_ENABLED", false);
    parameter(parameters, "CLIENT_RESULT_COLUMN_CASE_INSENSITIVE", false);
    parameter(parameters, "CLIENT_TIMESTAMP_TYPE_MAPPING", "TIMESTAMP_LTZ");
    parameter(parameters, "JDBC_QUERY_RESULT_FORMAT", "JSON");
    parameter(parameters, "TIMEZONE", "UTC");
    parameter(parameters, "TIMESTAMP_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM");
    parameter(parameters, "TIMESTAMP_NTZ_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF3");
    parameter(parameters, "TIMESTAMP_LTZ_OUTPUT_FORMAT", "");
    parameter(parameters, "TIMESTAMP_TZ_OUTPUT_FORMAT", "");
    parameter(parameters, "DATE_OUTPUT_FORMAT", "YYYY-MM-DD");
    parameter(parameters, "TIME_OUTPUT_FORMAT", "HH24:MI:SS");
    parameter(parameters, "BINARY_OUTPUT_FORMAT", "HEX");
    return parameters;
  }

  private static void parameter(ArrayNode parameters, String name, Object value) {
    ObjectNode node = parameters.addObject();
    node.put("name", name);
    switch (value) {
      case Boolean b -> node.put("value", b);
      case Integer i -> node.put("value", i);
      default -> node.put("value", value.toString());
    }
  }

  // ---- /session/token-request --------------------------------------------------------------

  synchronized ObjectNode renew(String masterToken, JsonNode body) {
    Session session = sessions.byMasterToken(masterToken);
    if (session == null) {
      return Envelopes.failure("390113", "Master token not found.", null);
    }
    Instant now = now();
    if (!now.isBefore(session.masterExpiresAt)) {
      return Envelopes.failure(
          "390114", "Authentication token has expired.  The user must authenticate again.", null);
    }
    if (!"RENEW".equals(body.path("requestType").asText(null))) {
      return Envelopes.failure("390100", "Unsupported token request type.", null);
    }
    String token =
        sessions.renew(
            session, body.path("oldSessionToken").asText(null), now, settings.sessionTokenValidity());
    ObjectNode data = Json.object();
    data.put("sessionToken", token);
    data.put("validityInSecondsST", settings.sessionTokenValidity().toSeconds());
    data.put("masterToken", session.masterToken);
    data.put("validityInSecondsMT", Duration.between(now, session.masterExpiresAt).toSeconds());
    data.put("sessionId", session.id);
    return Envelopes.success(data);
  }

  // ---- /queries/v1/query-request -----------------------------------------------------------

  synchronized ObjectNode query(String token, JsonNode body) {
    ObjectNode refused = checkToken(token);
    if (refused != null) {
      return refused;
    }
    Session session = sessions.byToken(token);
    String sqlText = body.path("sqlText").isTextual() ? body.path("sqlText").asText() : null;
    boolean describeOnly = body.path("describeOnly").asBoolean(false);
    String queryId = UUID.randomUUID().toString();
    String roleBefore = session.role;
    QueryResult result;
    try {
      if (hasBindings(body)) {
        throw new SnowflakeSqlError(
            "002049",
            "42601",
            "SQL compilation error:\nbind variables are not supported by snowflake-emulator.");
      }
      result = sql.execute(session, sqlText, describeOnly);
    } catch (SnowflakeSqlError e) {
      remember(
          statements,
          new ExecutedStatement(
              now(),
              queryId,
              session.account.name,
              session.user.name,
              roleBefore,
              sqlText,
              describeOnly,
              false,
              e.code(),
              e.getMessage()));
      return Envelopes.sqlFailure(e, queryId);
    }
    remember(
        statements,
        new ExecutedStatement(
            now(),
            queryId,
            session.account.name,
            session.user.name,
            roleBefore,
            sqlText,
            describeOnly,
            true,
            null,
            null));
    ObjectNode data = Json.object();
    data.set("parameters", Json.array());
    data.set("rowtype", result.rowtype());
    data.set("rowset", result.rowset());
    data.put("total", result.rows().size());
    data.put("returned", result.rows().size());
    data.put("queryId", queryId);
    data.putNull("databaseProvider");
    putNullable(data, "finalDatabaseName", session.database);
    putNullable(data, "finalSchemaName", session.schema);
    putNullable(data, "finalWarehouseName", session.warehouse);
    putNullable(data, "finalRoleName", session.role);
    data.put("numberOfBinds", 0);
    data.put("arrayBindSupported", false);
    data.put("statementTypeId", result.statementTypeId());
    data.put("version", 1);
    data.put("sendResultTime", now().toEpochMilli());
    data.put("queryResultFormat", "json");
    data.putNull("queryContext");
    return Envelopes.success(data);
  }

  private static boolean hasBindings(JsonNode body) {
    JsonNode bindings = body.path("bindings");
    return bindings.isObject() && bindings.size() > 0;
  }

  /** {@code null} when the token names a live session, else the envelope to answer. */
  private ObjectNode checkToken(String token) {
    return switch (sessions.status(token, now())) {
      case VALID -> null;
      case EXPIRED -> Envelopes.sessionExpired();
      case UNKNOWN -> Envelopes.sessionGone();
    };
  }

  // ---- /session/heartbeat, /session?delete=true ---------------------------------------------

  synchronized ObjectNode heartbeat(String token) {
    ObjectNode refused = checkToken(token);
    return refused != null ? refused : Envelopes.success(null);
  }

  synchronized ObjectNode logout(String token) {
    Session session = sessions.byToken(token);
    if (session != null) {
      sessions.close(session);
    }
    return Envelopes.success(null);
  }

  /** For endpoints that only need a valid session (abort, telemetry). */
  synchronized ObjectNode requireSession(String token) {
    return heartbeat(token);
  }

  // ---- state for the Java API and admin endpoints --------------------------------------------

  synchronized Account accountOrCreate(String name) {
    String upper = Identifiers.upper(requireName(name, "account"));
    return accounts.computeIfAbsent(upper, n -> new Account(n, now()));
  }

  synchronized Account account(String name) {
    Account account = accounts.get(Identifiers.upper(requireName(name, "account")));
    if (account == null) {
      throw new IllegalArgumentException("no account " + name + "; accounts are " + accounts.keySet());
    }
    return account;
  }

  synchronized User user(String accountName, String userName) {
    Account account = account(accountName);
    User user = account.users.get(Identifiers.normalize(userName));
    if (user == null) {
      throw new IllegalArgumentException(
          "no user " + userName + " in account " + account.name + "; users are " + account.users.keySet());
    }
    return user;
  }

  synchronized Map<String, Account> accounts() {
    return accounts;
  }

  /** Runs {@code action} under the lock (for the API handles and the seed loader). */
  synchronized <T> T locked(java.util.function.Supplier<T> action) {
    return action.get();
  }

  synchronized int successfulLogins() {
    return successfulLogins;
  }

  synchronized int tokenRenewals() {
    return sessions.renewals();
  }

  synchronized List<LoginAttempt> logins() {
    return List.copyOf(logins);
  }

  synchronized List<ExecutedStatement> statements() {
    return List.copyOf(statements);
  }

  synchronized int openSessions() {
    return sessions.open().size();
  }

  synchronized void clearHistory() {
    logins.clear();
    statements.clear();
    successfulLogins = 0;
    sessions.resetCounters();
  }

  synchronized int expireSessionTokens(Predicate<Session> which) {
    return sessions.expire(which, now());
  }

  synchronized int endSessions(Predicate<Session> which) {
    return sessions.end(which);
  }

  private static String requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " name must not be blank");
    }
    return name.trim();
  }

  private static <T> void remember(Deque<T> history, T entry) {
    history.addLast(entry);
    while (history.size() > RETAINED_HISTORY) {
      history.removeFirst();
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  static void putNullable(ObjectNode node, String field, String value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }
}
