package dev.keyline.connection.rest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyline.common.http.IfMatch;
import dev.keyline.common.http.PageView;
import dev.keyline.common.http.QueryValues;
import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.problem.Violations;
import dev.keyline.common.security.Caller;
import dev.keyline.connection.ApiCallResult;
import dev.keyline.connection.Catalog;
import dev.keyline.connection.KeyHolders;
import dev.keyline.connection.KeySlots;
import dev.keyline.connection.Permissions;
import dev.keyline.connection.SetupSql;
import dev.keyline.connection.TestResult;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.persistence.ConnectionReads;
import dev.keyline.connection.service.ApiCalls;
import dev.keyline.connection.service.CatalogService;
import dev.keyline.connection.service.ConnectionService;
import dev.keyline.connection.service.ConnectionStore;
import dev.keyline.connection.service.ConnectionTester;
import dev.keyline.connection.service.CredentialService;
import dev.keyline.connection.service.KeySlotService;
import dev.keyline.connection.service.SlotPrecondition;
import dev.keyline.connection.service.SetupStatements;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/**
 * Connections, their tests, catalogue, key slots and credentials. Thin: the rules live in the services.
 * Each endpoint lists every permission it accepts ({@link Permissions}): reading takes read, use or
 * manage; making a stored credential act takes use; rotation-service's scheduled work takes rotate,
 * on exactly the endpoints it calls.
 */
@Path("/api/v1/connections")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "connections")
@SecurityRequirement(name = "jwt")
// Worker (platform) threads, as in every service: README.md, "Threads".
@Blocking
public class ConnectionResource {

    @Inject
    ConnectionService connections;

    @Inject
    AuditTrail audit;

    @Inject
    ConnectionTester tester;

    @Inject
    CatalogService catalog;

    @Inject
    KeySlotService keySlots;

    @Inject
    SecurityIdentity identity;

    @Inject
    CredentialService credentials;

    @Inject
    ApiCalls apiCalls;

    @Inject
    SetupStatements setupStatements;

    @Inject
    Caller caller;

    @Inject
    Validator validator;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "Create a connection; Snowflake connections report how a first login went (testLogin)")
    public Response create(@NotNull ConnectionRequest request, UriInfo uri) {
        refuseInvalid(null, request);
        ConnectionService.Created created = audited("connection.create", null, () -> connections.create(request.toDraft()));
        ConnectionEntity e = created.connection();
        URI location = uri.getBaseUriBuilder().path("api/v1/connections").path(e.id.toString()).build();
        return Response.created(location).entity(ConnectionView.of(e, created.testLogin())).tag(etag(e)).build();
    }

    @GET
    @RolesAllowed({ Permissions.READ, Permissions.USE, Permissions.MANAGE })
    @Operation(summary = "List connections, optionally filtered by a part of the name")
    public PageView<ConnectionView> list(@QueryParam("name") String name,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(PageView.MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        ConnectionReads.Page found = connections.list(QueryValues.text("name", name), page, size);
        return new PageView<>(found.items().stream().map(ConnectionView::of).toList(), page, size, found.total());
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Permissions.READ, Permissions.USE, Permissions.MANAGE, Permissions.ROTATE })
    public Response get(@PathParam("id") UUID id) {
        ConnectionEntity e = connections.get(id);
        return Response.ok(ConnectionView.of(e)).tag(etag(e)).build();
    }

    /**
     * Answers only when the caller may manage this connection (403 otherwise): rotation-service asks
     * it with its caller's own token before it starts a rotation, adopts a key or saves a policy for
     * the connection, so {@code rotations:manage} alone rotates nothing.
     */
    @GET
    @Path("{id}/permissions/manage")
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "The connection, if the caller may manage it (403 otherwise); asked by rotation-service for its caller")
    public Response manageable(@PathParam("id") UUID id) {
        return get(id);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "Replace name, description, timeout and details except the key (If-Match: the ETag read; 428 without it). "
            + "Changing account, host or user needs the stored key again in details.privateKey")
    public Response replace(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @NotNull ConnectionRequest request) {
        refuseInvalid(id, request);
        long expected = IfMatch.required(ifMatch);
        ConnectionService.Replaced replaced = audited("connection.update", id,
                () -> connections.replaceAndTryLogin(id, request.toDraft(), expected));
        ConnectionEntity e = replaced.connection();
        return Response.ok(ConnectionView.of(e, replaced.testLogin())).tag(etag(e)).build();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "Delete a connection and every Vault version of its key")
    public Response delete(@PathParam("id") UUID id) {
        audited("connection.delete", id, () -> {
            connections.delete(id);
            return null;
        });
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/test")
    @RolesAllowed({ Permissions.USE, Permissions.ROTATE })
    @Operation(summary = "Log in with the stored key and run SELECT CURRENT_USER(), CURRENT_ROLE() and the session's warehouse, database and schema (a setting the session did not get: 422); API connectors: one exchange")
    public TestResult test(@PathParam("id") UUID id) {
        return tester.test(id, caller.bearerToken().orElse(null));
    }

    @POST
    @Path("{id}/requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Permissions.USE)
    @Operation(summary = "Call a path under an API connector's baseUrl through certificate-service's exchange "
            + "(presenting its certificate, with your token: needs your certificates:use there too)")
    public ApiCallResult request(@PathParam("id") UUID id, @NotNull ApiCallRequest request) {
        List<FieldError> violations = Violations.of(validator.validate(request));
        if (!violations.isEmpty()) {
            List<FieldError> errors = new ArrayList<>(violations);
            ApiCalls.requestProblems(request.method(), request.path(), request.query(), request.headers(), request.body())
                    .stream().filter(e -> !Violations.covered(e.field(), violations)).forEach(errors::add);
            throw ProblemException.invalidFields(errors);
        }
        return apiCalls.call(id, request.method(), request.path(), request.query(), request.headers(), request.body(),
                caller.bearerToken().orElse(null));
    }

    @GET
    @Path("{id}/browse")
    @RolesAllowed(Permissions.USE)
    @Operation(summary = "Databases and their schemas as the connection's role sees them")
    public Catalog browse(@PathParam("id") UUID id) {
        return catalog.browse(id);
    }

    @GET
    @Path("{id}/key-slots")
    @RolesAllowed({ Permissions.USE, Permissions.ROTATE })
    @Operation(summary = "Both key slots of the connection's user (DESC USER through the key-admin connection)")
    public KeySlots keySlots(@PathParam("id") UUID id) {
        return keySlots.read(id);
    }

    @GET
    @Path("{id}/key-holders")
    @RolesAllowed({ Permissions.READ, Permissions.USE, Permissions.MANAGE, Permissions.ROTATE })
    @Operation(summary = "The managed connections of this connection's Snowflake (account, user), itself included, "
            + "with their key fingerprints and credential versions (metadata only)")
    public KeyHolders keyHolders(@PathParam("id") UUID id) {
        return keySlots.holders(id);
    }

    @GET
    @Path("{id}/setup-sql")
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN })
    @RolesAllowed({ Permissions.READ, Permissions.USE, Permissions.MANAGE })
    @Operation(summary = "The Snowflake statements an administrator runs once for this connection: service role and user, "
            + "grants, the key-admin role's MODIFY PROGRAMMATIC AUTHENTICATION METHODS, the stored key's public key "
            + "(JSON {connectionId, statements, sql}; Accept: text/plain gives the SQL text)")
    public Response setupSql(@PathParam("id") UUID id, @Context HttpHeaders headers) {
        SetupSql sql = setupStatements.of(id);
        return prefersText(headers) ? Response.ok(sql.sql(), MediaType.TEXT_PLAIN_TYPE).build()
                : Response.ok(sql, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** text/plain only when the client ranks it above JSON (a browser's or curl's wildcard gets JSON). */
    private static boolean prefersText(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType()) {
                return false;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (type.isCompatible(MediaType.TEXT_PLAIN_TYPE)) {
                return true;
            }
        }
        return false;
    }

    private static final String IF_MATCH_SLOT = "Optional: \"SHA256:…\", the fingerprint the slot must hold now "
            + "(as GET …/key-slots shows it); 409 key-slot-changed otherwise";
    private static final String IF_NONE_MATCH_SLOT = "Optional: *, the slot must be empty now; 409 key-slot-changed otherwise";

    @PUT
    @Path("{id}/key-slots/{slot}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Permissions.MANAGE, Permissions.ROTATE })
    @Operation(summary = "Set RSA_PUBLIC_KEY (1) or RSA_PUBLIC_KEY_2 (2) through the key-admin connection. Optional "
            + "compare-and-set: If-Match: \"SHA256:…\" (the slot must hold that key) or If-None-Match: * (the slot must "
            + "be empty), checked under the user's lock; 409 key-slot-changed otherwise, nothing changed")
    public KeySlots setKeySlot(@PathParam("id") UUID id, @PathParam("slot") int slot,
            @Parameter(description = IF_MATCH_SLOT) @HeaderParam("If-Match") String ifMatch,
            @Parameter(description = IF_NONE_MATCH_SLOT) @HeaderParam("If-None-Match") String ifNoneMatch,
            @Valid @NotNull KeySlotRequest request) {
        return keySlots.set(id, slot, request.publicKey(), SlotPrecondition.fromHeaders(ifMatch, ifNoneMatch),
                identity.hasRole(Permissions.ROTATE));
    }

    @DELETE
    @Path("{id}/key-slots/{slot}")
    @RolesAllowed({ Permissions.MANAGE, Permissions.ROTATE })
    @Operation(summary = "Unset a key slot (refused while it holds the stored key's public key). Optional "
            + "compare-and-set as for PUT: If-Match: \"SHA256:…\" or If-None-Match: *; 409 key-slot-changed otherwise")
    public KeySlots unsetKeySlot(@PathParam("id") UUID id, @PathParam("slot") int slot,
            @Parameter(description = IF_MATCH_SLOT) @HeaderParam("If-Match") String ifMatch,
            @Parameter(description = IF_NONE_MATCH_SLOT) @HeaderParam("If-None-Match") String ifNoneMatch) {
        return keySlots.unset(id, slot, SlotPrecondition.fromHeaders(ifMatch, ifNoneMatch));
    }

    @PUT
    @Path("{id}/credentials")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Permissions.MANAGE, Permissions.ROTATE })
    @Operation(summary = "Swap the private key: logs in with it first, compare-and-set on credentialVersion "
            + "(If-Match: the credentialVersion read, as in expectedCredentialVersion; 428 without it)")
    public Response swapCredentials(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @NotNull CredentialsRequest request) {
        List<FieldError> violations = Violations.of(validator.validate(request));
        if (!violations.isEmpty()) {
            credentials.refuse(request.privateKey(), request.privateKeyPassphrase(), violations);
        }
        // This resource's entity-tag is the credential version (details.credentialVersion), not the row's ETag.
        long expected = IfMatch.required(ifMatch, "the credentialVersion you read with GET (details.credentialVersion, "
                + "the same number as expectedCredentialVersion)", "a key swapped since", "is required: the credentialVersion");
        if (expected != request.expectedCredentialVersion()) {
            throw ProblemException.invalidField("If-Match", "must name the same credential version as expectedCredentialVersion");
        }
        ConnectionEntity e = credentials.swap(id, request.privateKey(), request.privateKeyPassphrase(),
                request.expectedCredentialVersion());
        // The credentials' own version is this resource's entity tag.
        return Response.ok(ConnectionView.of(e)).tag(new EntityTag(Integer.toString(e.credentialVersion))).build();
    }

    @POST
    @Path("{id}/credentials/test")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Permissions.USE, Permissions.ROTATE })
    @Operation(summary = "Log in with a candidate private key without storing it (422 when Snowflake rejects it)")
    public TestResult testCandidateKey(@PathParam("id") UUID id, @NotNull CandidateKeyRequest request) {
        List<FieldError> violations = Violations.of(validator.validate(request));
        if (!violations.isEmpty()) {
            credentials.refuse(request.privateKey(), request.privateKeyPassphrase(), violations);
        }
        return credentials.check(id, request.privateKey(), request.privateKeyPassphrase());
    }

    /**
     * A create's or replace's body is checked here rather than with {@code @Valid}, which answered its
     * violations alone: a blank name hid a bad account or key until the next attempt. With any violation
     * the service's own checks run too and one 400 names every bad field (nothing is stored, and, as
     * for {@code @Valid} before, it is not audited: nothing was attempted).
     */
    private void refuseInvalid(UUID id, ConnectionRequest request) {
        List<FieldError> violations = Violations.of(validator.validate(request));
        if (!violations.isEmpty()) {
            connections.refuse(id, request.details() == null ? null : request.toDraft(), violations);
        }
    }

    private static EntityTag etag(ConnectionEntity e) {
        return new EntityTag(Long.toString(e.version));
    }

    /** Records failed changes too: who tried what matters most when it was refused. */
    private <T> T audited(String action, UUID id, Supplier<T> change) {
        return audit.failuresOf(action, ConnectionStore.RESOURCE, id, change);
    }
}
