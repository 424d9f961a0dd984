package dev.keyline.certificate.rest;

import java.net.URI;
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
import jakarta.validation.constraints.Pattern;
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
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

import dev.keyline.certificate.DomainMatch;
import dev.keyline.certificate.Permissions;
import dev.keyline.certificate.config.CertificateServiceConfig;
import dev.keyline.certificate.persistence.CertificateEntity;
import dev.keyline.certificate.persistence.CertificateReads;
import dev.keyline.certificate.service.CertificateConsumers;
import dev.keyline.certificate.service.CertificateService;
import dev.keyline.certificate.service.CertificateUpload;
import dev.keyline.common.http.IfMatch;
import dev.keyline.common.http.PageView;
import dev.keyline.common.http.QueryValues;
import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.Violations;
import dev.keyline.common.validation.ResourceNames;
import io.smallrye.common.annotation.Blocking;

/** CRUD for certificates plus the authorization question. Thin: the rules live in the services. */
@Path("/api/v1/certificates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "certificates")
@SecurityRequirement(name = "jwt")
// Worker (platform) threads, as in every service: README.md, "Threads".
@Blocking
public class CertificateResource {

    /** A consumer's id in its own service: a UUID for connection-service, kept general but plain. */
    static final String CONSUMER_ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,99}";

    @Inject
    CertificateService certificates;

    @Inject
    AuditTrail audit;

    @Inject
    CertificateFiles files;

    @Inject
    CertificateConsumers consumers;

    @Inject
    CertificateServiceConfig config;

    @Inject
    ListingLimit listing;

    @Inject
    Validator validator;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "Store a client certificate, its key and authorized domains (JSON)")
    public Response create(@NotNull CertificateRequest request, UriInfo uri) {
        refuseInvalid(false, request);
        return created(audited("certificate.create", null, () -> certificates.create(request.toUpload())), uri);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "Store a client certificate, its key and authorized domains (file upload)")
    public Response upload(@RestForm String name, @RestForm String description,
            @RestForm List<String> authorizedDomains, @RestForm FileUpload clientCertificate,
            @RestForm FileUpload clientKey, @RestForm String passphrase, @RestForm FileUpload caCertificate,
            MultipartFormDataInput form, UriInfo uri) {
        // The parameters above see only the parts they name, and the first of each: the rest are checked here.
        CertificateFiles.requireKnownParts(form.getValues());
        CertificateUpload upload = files.toUpload(name, description, authorizedDomains, clientCertificate, clientKey,
                passphrase, caCertificate);
        return created(audited("certificate.create", null, () -> certificates.create(upload)), uri);
    }

    @GET
    @RolesAllowed({ Permissions.READ, Permissions.USE, Permissions.MANAGE })
    @Operation(summary = "List certificates, optionally filtered by a part of the name")
    public PageView<CertificateView> list(@QueryParam("name") String name,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(PageView.MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        return listing.call(() -> {
            CertificateService.Listed found = certificates.list(QueryValues.text("name", name), page, size);
            return new PageView<>(found.items().stream().map(this::view).toList(), page, size, found.total());
        });
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Permissions.READ, Permissions.USE, Permissions.MANAGE })
    public Response get(@PathParam("id") UUID id) {
        CertificateReads.WithConsumers found = certificates.getWithConsumers(id);
        return Response.ok(view(found)).tag(etag(found.certificate())).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "Replace name, description and domains; replace material when given (If-Match: the ETag read; 428 without it)")
    public Response update(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @NotNull CertificateRequest request) {
        refuseInvalid(true, request);
        long expected = IfMatch.required(ifMatch);
        CertificateEntity e = audited("certificate.update", id,
                () -> certificates.update(id, request.toUpload(), expected));
        return Response.ok(view(e)).tag(etag(e)).build();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "Delete a certificate and every Vault version of its material")
    public Response delete(@PathParam("id") UUID id) {
        audited("certificate.delete", id, () -> {
            certificates.delete(id);
            return null;
        });
        return Response.noContent().build();
    }

    @PUT
    @Path("{id}/consumers/{consumerId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Permissions.USE)
    @Operation(summary = "Register a user of the certificate (an API connector): binding a certificate is a use of it; idempotent")
    public Response registerConsumer(@PathParam("id") UUID id, @PathParam("consumerId") @Pattern(regexp = CONSUMER_ID,
            message = "must be 1-100 letters, digits, '.', '_', ':' or '-'") String consumerId,
            @Valid @NotNull ConsumerRequest request) {
        CertificateConsumers.Registration r = audited("certificate.consumer.register", id,
                () -> consumers.register(id, consumerId, ResourceNames.normalize(request.name()), request.service()));
        return Response.status(r.created() ? 201 : 200).entity(ConsumerView.of(r.consumer())).build();
    }

    @DELETE
    @Path("{id}/consumers/{consumerId}")
    @RolesAllowed(Permissions.USE)
    @Operation(summary = "Unregister a user of the certificate; one not registered is no error (idempotent)")
    public Response unregisterConsumer(@PathParam("id") UUID id, @PathParam("consumerId") @Pattern(regexp = CONSUMER_ID,
            message = "must be 1-100 letters, digits, '.', '_', ':' or '-'") String consumerId) {
        audited("certificate.consumer.unregister", id, () -> {
            consumers.unregister(id, consumerId);
            return null;
        });
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/authorization")
    @RolesAllowed({ Permissions.READ, Permissions.USE, Permissions.MANAGE })
    @Operation(summary = "May this certificate be presented to host:port? Says which authorized domain matched")
    public AuthorizationView authorization(@PathParam("id") UUID id, @QueryParam("host") @NotNull String host,
            @QueryParam("port") @DefaultValue("443") @Min(1) @Max(65535) int port) {
        DomainMatch match = certificates.authorize(id, host, port);
        return new AuthorizationView(match.allowed(), match.normalisedHost(), match.port(), match.matchedRule(),
                match.reason());
    }

    /**
     * A create's or update's body is checked here rather than with {@code @Valid}, which answered its
     * violations alone: a blank name hid an expired certificate or a wrong key until the next attempt.
     * With any violation the service's own checks run too and one 400 ({@code invalid-request}) names
     * every bad field; as for {@code @Valid} before, that is before If-Match (428) and the certificate's
     * lookup (404), and not audited: nothing was attempted.
     */
    private void refuseInvalid(boolean update, CertificateRequest request) {
        List<FieldError> violations = Violations.of(validator.validate(request));
        if (!violations.isEmpty()) {
            certificates.refuse(request.toUpload(), update, violations, true);
        }
    }

    private CertificateView view(CertificateEntity e) {
        return CertificateView.of(e, config.expiryWarning(), consumers.of(e.id).stream().map(ConsumerView::of).toList());
    }

    private CertificateView view(CertificateReads.WithConsumers found) {
        return CertificateView.of(found.certificate(), config.expiryWarning(),
                found.consumers().stream().map(ConsumerView::of).toList());
    }

    /**
     * A certificate just created has no consumers yet (they register against its id, which the
     * caller learns from this answer), so its view needs no consumer query.
     */
    private Response created(CertificateEntity e, UriInfo uri) {
        URI location = uri.getBaseUriBuilder().path("api/v1/certificates").path(e.id.toString()).build();
        return Response.created(location).entity(CertificateView.of(e, config.expiryWarning(), List.of())).tag(etag(e))
                .build();
    }

    private static EntityTag etag(CertificateEntity e) {
        return new EntityTag(Long.toString(e.version));
    }

    /** Records failed changes too: who tried what matters most when it was refused. */
    private <T> T audited(String action, UUID id, Supplier<T> change) {
        return audit.failuresOf(action, CertificateService.RESOURCE, id, change);
    }
}
