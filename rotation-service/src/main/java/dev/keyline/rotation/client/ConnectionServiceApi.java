package dev.keyline.rotation.client;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.keyline.common.security.Caller;

import io.smallrye.mutiny.Uni;

/**
 * connection-service's v1 API, the part rotation uses. Wrapped by {@link ConnectionServiceClient}.
 * Every call names this service in {@value Caller#VIA_HEADER} for connection-service's audit trail.
 * The calls that reach Snowflake return a {@link Uni}: each is awaited for its own bound
 * ({@link SnowflakeCallBounds}), not for the client's read-timeout.
 */
@RegisterRestClient(configKey = "connection-service")
@ClientHeaderParam(name = Caller.VIA_HEADER, value = "rotation-service")
@Path("/api/v1/connections")
@Produces(MediaType.APPLICATION_JSON)
interface ConnectionServiceApi {

    /** @param timeoutSecs the connection's own Snowflake timeout (1-600), from which a call's bound is derived */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Connection(UUID id, String name, Integer timeoutSecs, Details details) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Details(String type, String account, String user, String authType, String keyFingerprint,
            Integer credentialVersion, UUID keyAdminConnectionId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record KeySlots(UUID connectionId, String account, String user, String storedKeyFingerprint, int credentialVersion,
            List<Slot> slots) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Slot(int slot, String fingerprint, String lastSetTime, boolean matchesStoredKey) {
    }

    record PublicKeyBody(String publicKey) {
    }

    record CandidateKeyBody(String privateKey, String privateKeyPassphrase) {
        @Override
        public String toString() {
            return "CandidateKeyBody[material=masked]";
        }
    }

    record CredentialsBody(String privateKey, String privateKeyPassphrase, int expectedCredentialVersion) {
        @Override
        public String toString() {
            return "CredentialsBody[expectedCredentialVersion=" + expectedCredentialVersion + ", material=masked]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TestResult(boolean ok, String keyFingerprint, String user) {
    }

    @GET
    @Path("{id}")
    Connection get(@HeaderParam("Authorization") String auth, @PathParam("id") UUID id);

    /** As {@link #get}, for {@link SnowflakeCallBounds}, which bounds the wait itself. */
    @GET
    @Path("{id}")
    Uni<Connection> getLater(@HeaderParam("Authorization") String auth, @PathParam("id") UUID id);

    /** The connection if the token's holder may manage it; 403 otherwise. Called with a caller's own token. */
    @GET
    @Path("{id}/permissions/manage")
    Connection manageable(@HeaderParam("Authorization") String auth, @PathParam("id") UUID id);

    @GET
    @Path("{id}/key-slots")
    Uni<KeySlots> keySlots(@HeaderParam("Authorization") String auth, @PathParam("id") UUID id);

    /**
     * The managed connections of the same Snowflake (account, user), itself included:
     * {@code {connectionId, account, user, holders: [{id, name, keyFingerprint, credentialVersion, etag}]}}.
     */
    @GET
    @Path("{id}/key-holders")
    String keyHolders(@HeaderParam("Authorization") String auth, @PathParam("id") UUID id);

    /**
     * {@code ifMatch} {@code "SHA256:…"}: the key the slot must hold; {@code ifNoneMatch} {@code *}: it must
     * be empty (one of the two, the other null); 409 {@code key-slot-changed} otherwise.
     */
    @PUT
    @Path("{id}/key-slots/{slot}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<KeySlots> setKeySlot(@HeaderParam("Authorization") String auth, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("If-None-Match") String ifNoneMatch, @PathParam("id") UUID id, @PathParam("slot") int slot,
            PublicKeyBody body);

    /** Preconditions as for {@link #setKeySlot}. */
    @DELETE
    @Path("{id}/key-slots/{slot}")
    Uni<KeySlots> unsetKeySlot(@HeaderParam("Authorization") String auth, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("If-None-Match") String ifNoneMatch, @PathParam("id") UUID id, @PathParam("slot") int slot);

    /** {@code ifMatch}: the credential version being replaced, as connection-service requires (428 without). */
    @PUT
    @Path("{id}/credentials")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Connection> swapCredentials(@HeaderParam("Authorization") String auth, @HeaderParam("If-Match") String ifMatch,
            @PathParam("id") UUID id, CredentialsBody body);

    @POST
    @Path("{id}/credentials/test")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<TestResult> testCandidateKey(@HeaderParam("Authorization") String auth, @PathParam("id") UUID id,
            CandidateKeyBody body);

    @POST
    @Path("{id}/test")
    Uni<TestResult> test(@HeaderParam("Authorization") String auth, @PathParam("id") UUID id);
}
