package dev.keyline.console.connections;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import dev.keyline.console.api.ApiResponse;
import dev.keyline.console.api.Problem;
import dev.keyline.console.api.ServiceUnavailableException;
import dev.keyline.console.api.Services;
import dev.keyline.console.certificates.Certificate;
import dev.keyline.console.session.CurrentUser;
import dev.keyline.console.web.FormErrors;
import dev.keyline.console.web.FormValues;
import dev.keyline.console.web.PemField;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

/**
 * Connections: list (Snowflake and API connectors with their certificate), create a Snowflake
 * key-pair connection, test, browse databases and schemas, both key slots, and "rotate now".
 */
@Path("/connections")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class ConnectionsResource {

    static final String[] FIELDS = { "name", "description", "account", "host", "user", "role", "warehouse",
            "privateKey", "privateKeyPassphrase", "keyAdminConnectionId", "generateKeyPair", "keyBits" };

    /** connection-service names the Snowflake fields {@code details.*}; the form names them plainly. */
    static final Map<String, String> ALIASES = Map.ofEntries(Map.entry("details.account", "account"),
            Map.entry("details.host", "host"), Map.entry("details.user", "user"), Map.entry("details.role", "role"),
            Map.entry("details.warehouse", "warehouse"), Map.entry("details.privateKey", "privateKey"),
            Map.entry("details.privateKeyPassphrase", "privateKeyPassphrase"),
            Map.entry("details.keyAdminConnectionId", "keyAdminConnectionId"), Map.entry("details.baseUrl", "baseUrl"),
            Map.entry("details.certificateId", "certificateId"), Map.entry("details.generateKeyPair", "generateKeyPair"),
            Map.entry("details.keyBits", "keyBits"));

    static final String[] API_FIELDS = { "name", "description", "baseUrl", "certificateId" };

    /** A list row: the connection, and for an API connector the certificate's name. */
    @TemplateData
    public record Row(Connection connection, String certificateName) {
    }

    /** Both key slots and the stored key's fingerprint, as DESC USER shows them. */
    @TemplateData
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Slots(String storedKeyFingerprint, List<Slot> slots) {
    }

    @TemplateData
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Slot(int slot, String fingerprint, String lastSetTime, boolean matchesStoredKey) {
    }

    /** Databases and their schemas. */
    @TemplateData
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Catalog(List<Database> databases, boolean truncated) {
    }

    @TemplateData
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Database(String name, List<String> schemas) {
    }

    /** One header of a remote answer. */
    @TemplateData
    public record Header(String name, String value) {
    }

    /** The outcome of a connection test: the result or the problem with its actionable detail. */
    @TemplateData
    public record TestOutcome(JsonNode result, Problem problem) {
        /** A JSON member as text: strings as they are, anything else as JSON. */
        public String text(String name) {
            JsonNode v = result == null ? null : result.get(name);
            return v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toPrettyString();
        }

        /** The answer's headers: connection-service's {@code [{name, value}]}, or an object (a list value joined). */
        public List<Header> headerList() {
            JsonNode h = result == null ? null : result.get("headers");
            List<Header> list = new ArrayList<>();
            if (h != null && h.isArray()) {
                h.forEach(e -> list.add(new Header(e.path("name").asText(), e.path("value").asText())));
            } else if (h != null && h.isObject()) {
                h.fields().forEachRemaining(e -> {
                    List<String> values = new ArrayList<>();
                    if (e.getValue().isArray()) {
                        e.getValue().forEach(v -> values.add(v.asText()));
                    } else {
                        values.add(e.getValue().asText());
                    }
                    list.add(new Header(e.getKey(), String.join(", ", values)));
                });
            }
            return list;
        }

        public String field(String name) {
            JsonNode v = result == null ? null : result.get(name);
            return v == null || v.isNull() ? "" : v.asText();
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<Row> rows, String certificatesUnavailable);

        static native TemplateInstance form(ConnectionForm form, FormErrors errors, String[] fields,
                List<Connection> keyAdmins);

        static native TemplateInstance detail(Connection connection, String certificateName, String keyAdminName,
                Slots slots,
                Problem slotsProblem, TestOutcome test, Problem rotationProblem, String created,
                ApiRequestForm request, FormErrors requestErrors, TestOutcome requestResult);

        static native TemplateInstance setupSql(Connection connection, String sql, int statements, Problem problem,
                boolean generated);

        static native TemplateInstance browse(Connection connection, Catalog catalog, Problem problem);

        static native TemplateInstance apiForm(String id, String etag, ApiConnectorForm form, FormErrors errors,
                String[] fields, List<Certificate> certificates, String certificatesProblem);

        static native TemplateInstance edit(Connection connection, String etag, ConnectionForm form, FormErrors errors,
                String[] fields, List<Connection> keyAdmins);
    }

    @Inject
    Services services;

    @Inject
    CurrentUser user;

    @GET
    public String list() {
        List<Connection> connections = listConnections();
        String unavailable = null;
        Map<String, String> certificateNames = new HashMap<>();
        try {
            ApiResponse r = services.certificates().get("/api/v1/certificates?size=200", user.token());
            if (r.ok()) {
                r.body().path("items").forEach(n -> certificateNames.put(n.path("id").asText(), n.path("name").asText()));
            }
        } catch (ServiceUnavailableException e) {
            unavailable = e.getMessage();
        }
        List<Row> rows = new ArrayList<>();
        for (Connection c : connections) {
            String cert = c.details() == null || c.details().certificateId() == null ? null
                    : certificateNames.getOrDefault(c.details().certificateId(), c.details().certificateId());
            rows.add(new Row(c, cert));
        }
        return Templates.list(rows, unavailable).render();
    }

    @GET
    @Path("new")
    public String newForm() {
        return Templates.form(ConnectionForm.empty(), FormErrors.none(), FIELDS, keyAdmins(null)).render();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response create(@RestForm String name, @RestForm String description, @RestForm String account,
            @RestForm String host, @RestForm String user, @RestForm String role, @RestForm String warehouse,
            @RestForm String privateKey, @RestForm FileUpload privateKeyFile, @RestForm String privateKeyPassphrase,
            @RestForm String keyAdminConnectionId, @RestForm String generateKeyPair, @RestForm String keyBits) {
        boolean generate = generateKeyPair != null;
        ConnectionForm form = new ConnectionForm(name, description, account, host, user, role, warehouse,
                keyAdminConnectionId, generate,
                keyBits != null && ConnectionForm.KEY_BITS.contains(keyBits) ? keyBits : "2048"); // absent: the default
        String key;
        try {
            key = PemField.value(privateKeyFile, privateKey);
        } catch (PemField.TooLarge e) {
            return reshow(form, new Problem(null, null, 400, "The key file is too large; nothing was sent.",
                    List.of(new Problem.FieldError("privateKey", e.getMessage()))));
        }
        if (generate && key != null) {
            return reshow(form, new Problem(null, null, 400, "Either give a key or let the service generate one.",
                    List.of(new Problem.FieldError("privateKey",
                            "leave it empty when the service generates the key pair"))));
        }
        Map<String, Object> details = snowflakeDetails(form, key, privateKeyPassphrase);
        if (generate) {
            // connection-service generates the pair, registers the public key through the key-admin
            // connection and keeps the private key in Vault: no key crosses the browser.
            details.remove("privateKey");
            details.remove("privateKeyPassphrase");
            details.put("generateKeyPair", true);
            details.put("keyBits", Integer.valueOf(form.keyBits()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", FormValues.text(description));
        body.put("details", details);
        ApiResponse r = services.connections().post("/api/v1/connections", this.user.token(), body);
        if (!r.ok()) {
            return reshow(form, r.problem());
        }
        if (generate) {
            return Response.seeOther(URI.create("/connections/" + r.body().path("id").asText() + "/setup-sql?generated=true"))
                    .build();
        }
        JsonNode login = r.body().path("testLogin");
        // A refused key has its own hint (register the public key); any other failure (a warehouse the
        // session did not get, an outage) is for the test to explain.
        String created = login.isMissingNode() || login.isNull() ? "created"
                : login.path("ok").asBoolean() ? "created-login-ok"
                        : "snowflake-jwt-rejected".equals(login.path("type").asText()) ? "created-login-failed"
                                : "created-login-problem";
        return Response.seeOther(URI.create("/connections/" + r.body().path("id").asText() + "?created=" + created))
                .build();
    }

    @GET
    @Path("api/new")
    public String newApiConnector() {
        return apiFormPage(null, "", ApiConnectorForm.empty(), FormErrors.none());
    }

    /** An API connector: the certificate is picked from those the person may read (with their domains). */
    @POST
    @Path("api")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createApiConnector(@RestForm String name, @RestForm String description, @RestForm String baseUrl,
            @RestForm String certificateId) {
        ApiConnectorForm form = new ApiConnectorForm(name, description, baseUrl, certificateId);
        ApiResponse r = services.connections().post("/api/v1/connections", user.token(), apiBody(form, null));
        if (!r.ok()) {
            return reshowApi(null, "", form, r.problem());
        }
        return Response.seeOther(URI.create("/connections/" + r.body().path("id").asText() + "?created=created"))
                .build();
    }

    /** The edit form of either type, carrying the ETag read now (sent back as If-Match). */
    @GET
    @Path("{id}/edit")
    public String edit(@PathParam("id") UUID id) {
        ApiResponse r = services.connections().get("/api/v1/connections/" + id, user.token()).orThrow();
        Connection c = r.as(Connection.class);
        if (c.api()) {
            return apiFormPage(id.toString(), r.etag().orElse(""), ApiConnectorForm.of(c), FormErrors.none());
        }
        return Templates.edit(c, r.etag().orElse(""), ConnectionForm.of(c), FormErrors.none(), FIELDS,
                keyAdmins(c.details().keyAdminConnectionId())).render();
    }

    @POST
    @Path("{id}/api")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response replaceApiConnector(@PathParam("id") UUID id, @RestForm String etag, @RestForm String name,
            @RestForm String description, @RestForm String baseUrl, @RestForm String certificateId) {
        ApiConnectorForm form = new ApiConnectorForm(name, description, baseUrl, certificateId);
        Connection current = services.connections().get("/api/v1/connections/" + id, user.token()).orThrow()
                .as(Connection.class);
        ApiResponse r = services.connections().put("/api/v1/connections/" + id, user.token(),
                apiBody(form, current.timeoutSecs()), etag);
        if (!r.ok()) {
            return reshowApi(id.toString(), etag, form, r.problem());
        }
        return Response.seeOther(URI.create("/connections/" + id + "?created=saved")).build();
    }

    /**
     * Snowflake metadata: what the form does not show (database, schema, timeout, a key admin's
     * managed users) is sent as stored, so the replace changes only what the person edited. The
     * key goes along only when given (connection-service wants it again when account, host or
     * user change, and says so on the key field).
     */
    @POST
    @Path("{id}/edit")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response replaceSnowflake(@PathParam("id") UUID id, @RestForm String etag, @RestForm String name,
            @RestForm String description, @RestForm String account, @RestForm String host, @RestForm String user,
            @RestForm String role, @RestForm String warehouse, @RestForm String privateKey,
            @RestForm FileUpload privateKeyFile, @RestForm String privateKeyPassphrase,
            @RestForm String keyAdminConnectionId) {
        ConnectionForm form = new ConnectionForm(name, description, account, host, user, role, warehouse,
                keyAdminConnectionId, false, "2048");
        Connection current = services.connections().get("/api/v1/connections/" + id, this.user.token()).orThrow()
                .as(Connection.class);
        Problem problem;
        try {
            String key = PemField.value(privateKeyFile, privateKey);
            Map<String, Object> details = snowflakeDetails(form, key, key == null ? null : privateKeyPassphrase);
            details.put("database", current.details().database());
            details.put("schema", current.details().schema());
            details.put("managesUsers", current.details().managesUsers());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("description", FormValues.text(description));
            body.put("timeoutSecs", current.timeoutSecs());
            body.put("details", details);
            ApiResponse r = services.connections().put("/api/v1/connections/" + id, this.user.token(), body, etag);
            if (r.ok()) {
                // A change to what the login uses comes back with how a login went after it (testLogin).
                JsonNode login = r.body().path("testLogin");
                String saved = login.isMissingNode() || login.isNull() || login.path("ok").asBoolean() ? "saved"
                        : "saved-login-problem";
                return Response.seeOther(URI.create("/connections/" + id + "?created=" + saved)).build();
            }
            problem = r.problem();
        } catch (PemField.TooLarge e) {
            problem = new Problem(null, null, 400, "The key file is too large; nothing was sent.",
                    List.of(new Problem.FieldError("privateKey", e.getMessage())));
        }
        return Response.status(problem.status() >= 400 ? problem.status() : 400)
                .entity(Templates.edit(current, etag == null ? "" : etag, form, FormErrors.of(problem, ALIASES), FIELDS,
                        keyAdmins(form.keyAdminConnectionId())).render())
                .build();
    }

    @GET
    @Path("{id}")
    public String detail(@PathParam("id") UUID id, @QueryParam("created") String created) {
        return detailPage(id, null, null, created, null, null);
    }

    /**
     * The Snowflake statements an administrator runs once for the connection (service role and user,
     * grants, the key-admin role's grant, the stored key's public key), as connection-service writes
     * them with quoted identifiers (public material only), in a block made to be selected and copied.
     */
    @GET
    @Path("{id}/setup-sql")
    public Response setupSql(@PathParam("id") UUID id, @QueryParam("generated") boolean generated) {
        Connection c = services.connections().get("/api/v1/connections/" + id, user.token()).orThrow()
                .as(Connection.class);
        ApiResponse r = services.connections().get("/api/v1/connections/" + id + "/setup-sql", user.token());
        if (!r.ok()) {
            return Response.status(r.status()).entity(Templates.setupSql(c, null, 0, r.problem(), generated).render())
                    .build();
        }
        // connection-service answers {connectionId, statements: [...], sql: "stmt;\nstmt;\n"} (JSON by default).
        String sql = r.body().path("sql").asText();
        int statements = r.body().path("statements").size();
        return Response.ok(Templates.setupSql(c, sql, statements, null, generated).render()).build();
    }

    /**
     * An API connector's request through connection-service (which presents the certificate via
     * certificate-service with the person's own token). The answer is shown as text: the page
     * escapes it like everything else, so a remote HTML body is never rendered.
     */
    @POST
    @Path("{id}/request")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response sendRequest(@PathParam("id") UUID id, @RestForm String method, @RestForm String path,
            @RestForm String query, @RestForm String headers, @RestForm String body) {
        ApiRequestForm form = new ApiRequestForm(method, path, query, headers, body);
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, Object> request = form.toRequest(errors);
        if (!errors.isEmpty()) {
            Problem p = new Problem(null, null, 400, "The request was not sent.", errors);
            return Response.status(400).entity(detailPage(id, null, null, null, form.withoutHeaders(),
                    new TestOutcome(null, p))).build();
        }
        ApiResponse r = services.connections().post("/api/v1/connections/" + id + "/requests", user.token(), request);
        TestOutcome outcome = r.ok() ? new TestOutcome(r.body(), null) : new TestOutcome(null, r.problem());
        return Response.status(r.ok() ? 200 : r.status())
                .entity(detailPage(id, null, null, null, form.withoutHeaders(), outcome)).build();
    }

    @POST
    @Path("{id}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public String test(@PathParam("id") UUID id) {
        ApiResponse r = services.connections().post("/api/v1/connections/" + id + "/test", user.token(), null);
        TestOutcome outcome = r.ok() ? new TestOutcome(r.body(), null) : new TestOutcome(null, r.problem());
        return detailPage(id, outcome, null, null, null, null);
    }

    @GET
    @Path("{id}/browse")
    public String browse(@PathParam("id") UUID id) {
        Connection c = services.connections().get("/api/v1/connections/" + id, user.token()).orThrow()
                .as(Connection.class);
        ApiResponse r = services.connections().get("/api/v1/connections/" + id + "/browse", user.token());
        return Templates.browse(c, r.ok() ? r.as(Catalog.class) : null, r.ok() ? null : r.problem()).render();
    }

    /** "Rotate now": rotation-service starts a run; its page shows the steps as they happen. */
    @POST
    @Path("{id}/rotate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rotate(@PathParam("id") UUID id) {
        ApiResponse r = services.rotations().post("/api/v1/connections/" + id + "/rotations", user.token(),
                Map.of("adopt", false));
        if (r.ok()) {
            return Response.seeOther(URI.create("/rotations/runs/" + r.body().path("id").asText())).build();
        }
        return Response.status(r.status()).entity(detailPage(id, null, r.problem(), null, null, null)).build();
    }

    private String detailPage(UUID id, TestOutcome test, Problem rotationProblem, String created,
            ApiRequestForm request, TestOutcome requestResult) {
        Connection c = services.connections().get("/api/v1/connections/" + id, user.token()).orThrow()
                .as(Connection.class);
        String certificateName = null;
        if (c.api() && c.details().certificateId() != null) {
            certificateName = c.details().certificateId();
            try {
                ApiResponse cert = services.certificates().get("/api/v1/certificates/" + c.details().certificateId(),
                        user.token());
                if (cert.ok()) {
                    certificateName = cert.body().path("name").asText();
                }
            } catch (ServiceUnavailableException e) {
                // the id stays: the link still works once certificate-service is back
            }
        }
        String keyAdminName = null;
        if (c.snowflake() && c.details().keyAdminConnectionId() != null) {
            keyAdminName = c.details().keyAdminConnectionId();
            ApiResponse admin = services.connections().get("/api/v1/connections/" + keyAdminName, user.token());
            if (admin.ok()) {
                keyAdminName = admin.body().path("name").asText(keyAdminName);
            } // else the id stays (the caller may not read it): the link says what the service would
        }
        Slots slots = null;
        Problem slotsProblem = null;
        if (c.snowflake()) {
            ApiResponse r = services.connections().get("/api/v1/connections/" + id + "/key-slots", user.token());
            if (r.ok()) {
                slots = r.as(Slots.class);
            } else {
                slotsProblem = r.problem();
            }
        }
        FormErrors requestErrors = requestResult != null && requestResult.problem() != null
                ? FormErrors.of(requestResult.problem())
                : FormErrors.none();
        return Templates.detail(c, certificateName, keyAdminName, slots, slotsProblem, test, rotationProblem, created,
                request == null ? ApiRequestForm.empty() : request, requestErrors, requestResult).render();
    }

    private static Map<String, Object> snowflakeDetails(ConnectionForm form, String key, String passphrase) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", "snowflake");
        details.put("authType", "key-pair");
        details.put("account", FormValues.text(form.account()));
        details.put("host", FormValues.text(form.host()));
        details.put("user", FormValues.text(form.user()));
        details.put("role", FormValues.text(form.role()));
        details.put("warehouse", FormValues.text(form.warehouse()));
        details.put("privateKey", key);
        details.put("privateKeyPassphrase", FormValues.secret(passphrase));
        details.put("keyAdminConnectionId", FormValues.text(form.keyAdminConnectionId()));
        return details;
    }

    private static Map<String, Object> apiBody(ApiConnectorForm form, Integer timeoutSecs) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", "api");
        details.put("baseUrl", FormValues.text(form.baseUrl()));
        details.put("certificateId", FormValues.text(form.certificateId()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", form.name());
        body.put("description", FormValues.text(form.description()));
        if (timeoutSecs != null) {
            body.put("timeoutSecs", timeoutSecs);
        }
        body.put("details", details);
        return body;
    }

    private Response reshowApi(String id, String etag, ApiConnectorForm form, Problem problem) {
        return Response.status(problem.status() >= 400 ? problem.status() : 400)
                .entity(apiFormPage(id, etag == null ? "" : etag, form, FormErrors.of(problem, ALIASES))).build();
    }

    /**
     * The API connector form with the certificates the person may read, each with its authorized
     * domains, so the choice is informed; certificate-service being down leaves a pasted-id field.
     */
    private String apiFormPage(String id, String etag, ApiConnectorForm form, FormErrors errors) {
        List<Certificate> certificates = new ArrayList<>();
        String problem = null;
        try {
            ApiResponse r = services.certificates().get("/api/v1/certificates?size=200", user.token());
            if (r.ok()) {
                r.body().path("items")
                        .forEach(n -> certificates.add(services.certificates().json().convertValue(n, Certificate.class)));
            } else {
                problem = r.problem().slug() + ": " + (r.problem().detail() == null ? "" : r.problem().detail());
            }
        } catch (ServiceUnavailableException e) {
            problem = e.getMessage();
        }
        return Templates.apiForm(id, etag, form, errors, API_FIELDS, certificates, problem).render();
    }

    private Response reshow(ConnectionForm form, Problem problem) {
        return Response.status(problem.status() >= 400 ? problem.status() : 400)
                .entity(Templates.form(form, FormErrors.of(problem, ALIASES), FIELDS,
                        keyAdmins(form.keyAdminConnectionId())).render()).build();
    }

    private List<Connection> listConnections() {
        JsonNode page = services.connections().get("/api/v1/connections?size=200", user.token()).orThrow().body();
        List<Connection> list = new ArrayList<>();
        page.path("items").forEach(n -> list.add(services.connections().json().convertValue(n, Connection.class)));
        return list;
    }

    /**
     * The form's select: the key-admin connections (those that manage users: connection-service refuses any
     * other as a key admin), and the one the form names already if it is not one, so that an edit never changes
     * it unasked.
     */
    private List<Connection> keyAdmins(String selected) {
        try {
            return keyAdminChoices(listConnections(), selected);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    static List<Connection> keyAdminChoices(List<Connection> connections, String selected) {
        return connections.stream().filter(c -> c.keyAdmin() || c.id().equals(selected) && c.snowflake()).toList();
    }

}
