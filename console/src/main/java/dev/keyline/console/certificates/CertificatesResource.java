package dev.keyline.console.certificates;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

import com.fasterxml.jackson.databind.JsonNode;

import dev.keyline.console.api.ApiResponse;
import dev.keyline.console.api.Problem;
import dev.keyline.console.api.Services;
import dev.keyline.console.session.CurrentUser;
import dev.keyline.console.web.FormErrors;
import dev.keyline.console.web.FormValues;
import dev.keyline.console.web.PemField;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

/** Certificates: list, create (upload or paste), replace (If-Match), delete, authorization check, test request. */
@Path("/certificates")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class CertificatesResource {

    /** Form fields that show their own errors; others are listed at the top of the form. */
    static final String[] FIELDS = { "name", "description", "authorizedDomains", "clientCertificate", "clientKey",
            "passphrase", "caCertificate" };

    /** The answer to "may this certificate be presented to host:port?". */
    @TemplateData
    public record Authorization(boolean allowed, String host, int port, String matchedRule, String reason) {
    }

    /** A test request's outcome: the remote answer or the problem. */
    @TemplateData
    public record Exchange(JsonNode result, Problem problem) {
        public String field(String name) {
            JsonNode v = result == null ? null : result.get(name);
            return v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<Certificate> certificates);

        static native TemplateInstance form(CertificateForm form, FormErrors errors, String[] fields);

        static native TemplateInstance detail(Certificate certificate, String etag, CertificateForm form, FormErrors errors, String[] fields, Authorization authorization,
                Problem authorizationProblem, String host, String port, Exchange exchange, String saved);

        static native TemplateInstance delete(Certificate certificate, Problem problem);
    }

    @Inject
    Services services;

    @Inject
    CurrentUser user;

    @GET
    public String list() {
        JsonNode page = services.certificates().get("/api/v1/certificates?size=200", user.token()).orThrow().body();
        List<Certificate> certificates = new ArrayList<>();
        page.path("items").forEach(n -> certificates.add(services.certificates().json().convertValue(n, Certificate.class)));
        return Templates.list(certificates).render();
    }

    @GET
    @Path("new")
    public String newForm() {
        return Templates.form(CertificateForm.empty(), FormErrors.none(), FIELDS).render();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response create(@RestForm String name, @RestForm String description, @RestForm String authorizedDomains,
            @RestForm String clientCertificate, @RestForm FileUpload clientCertificateFile, @RestForm String clientKey,
            @RestForm FileUpload clientKeyFile, @RestForm String passphrase, @RestForm String caCertificate,
            @RestForm FileUpload caCertificateFile) {
        CertificateForm form = new CertificateForm(name, description, authorizedDomains);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", FormValues.text(description));
        body.put("authorizedDomains", form.domainList());
        List<Problem.FieldError> tooLarge = new ArrayList<>();
        body.put("clientCertificate", pem("clientCertificate", clientCertificateFile, clientCertificate, tooLarge));
        body.put("clientKey", pem("clientKey", clientKeyFile, clientKey, tooLarge));
        body.put("passphrase", FormValues.secret(passphrase));
        body.put("caCertificate", pem("caCertificate", caCertificateFile, caCertificate, tooLarge));
        if (!tooLarge.isEmpty()) {
            return reshowForm(form, new Problem(null, null, 400, "A file is too large; nothing was sent.", tooLarge));
        }
        ApiResponse r = services.certificates().post("/api/v1/certificates", user.token(), body);
        if (!r.ok()) {
            return reshowForm(form, r.problem());
        }
        String id = r.body().path("id").asText();
        return Response.seeOther(URI.create("/certificates/" + id + "?saved=created")).build();
    }

    @GET
    @Path("{id}")
    public String detail(@PathParam("id") UUID id, @QueryParam("saved") String saved) {
        return detailPage(id, null, FormErrors.none(), null, null, null, null, null, saved);
    }

    /** Replace: name, description and domains always; material only when a field is given. */
    @POST
    @Path("{id}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response replace(@PathParam("id") UUID id, @RestForm String etag, @RestForm String name,
            @RestForm String description, @RestForm String authorizedDomains, @RestForm String clientCertificate,
            @RestForm FileUpload clientCertificateFile, @RestForm String clientKey, @RestForm FileUpload clientKeyFile,
            @RestForm String passphrase, @RestForm String caCertificate, @RestForm FileUpload caCertificateFile) {
        CertificateForm form = new CertificateForm(name, description, authorizedDomains);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", FormValues.text(description));
        body.put("authorizedDomains", form.domainList());
        List<Problem.FieldError> tooLarge = new ArrayList<>();
        putIfGiven(body, "clientCertificate", pem("clientCertificate", clientCertificateFile, clientCertificate, tooLarge));
        putIfGiven(body, "clientKey", pem("clientKey", clientKeyFile, clientKey, tooLarge));
        putIfGiven(body, "passphrase", FormValues.secret(passphrase));
        putIfGiven(body, "caCertificate", pem("caCertificate", caCertificateFile, caCertificate, tooLarge));
        Problem problem;
        if (!tooLarge.isEmpty()) {
            problem = new Problem(null, null, 400, "A file is too large; nothing was sent.", tooLarge);
        } else {
            ApiResponse r = services.certificates().put("/api/v1/certificates/" + id, user.token(), body, etag);
            if (r.ok()) {
                return Response.seeOther(URI.create("/certificates/" + id + "?saved=replaced")).build();
            }
            problem = r.problem();
        }
        return Response.status(problem.status() >= 400 ? problem.status() : 400)
                .entity(detailPage(id, form, FormErrors.of(problem), null, null, null, null, null, null)).build();
    }

    @GET
    @Path("{id}/authorization")
    public String authorization(@PathParam("id") UUID id, @QueryParam("host") String host,
            @QueryParam("port") String port) {
        String query = "host=" + enc(host == null ? "" : host.strip())
                + (port == null || port.isBlank() ? "" : "&port=" + enc(port.strip()));
        ApiResponse r = services.certificates().get("/api/v1/certificates/" + id + "/authorization?" + query,
                user.token());
        Authorization result = r.ok() ? r.as(Authorization.class) : null;
        return detailPage(id, null, FormErrors.none(), result, r.ok() ? null : r.problem(), host, port, null, null);
    }

    @POST
    @Path("{id}/exchange")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public String exchange(@PathParam("id") UUID id, @RestForm String method, @RestForm String url) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("method", method == null || method.isBlank() ? "GET" : method);
        body.put("url", url == null ? null : url.strip());
        ApiResponse r = services.certificates().post("/api/v1/certificates/" + id + "/exchange", user.token(), body);
        Exchange exchange = r.ok() ? new Exchange(r.body(), null) : new Exchange(null, r.problem());
        return detailPage(id, null, FormErrors.none(), null, null, null, null, exchange, null);
    }

    @GET
    @Path("{id}/delete")
    public String confirmDelete(@PathParam("id") UUID id) {
        Certificate c = services.certificates().get("/api/v1/certificates/" + id, user.token()).orThrow()
                .as(Certificate.class);
        return Templates.delete(c, null).render();
    }

    @POST
    @Path("{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("id") UUID id) {
        ApiResponse r = services.certificates().delete("/api/v1/certificates/" + id, user.token());
        if (r.ok()) {
            return Response.seeOther(URI.create("/certificates")).build();
        }
        Certificate c = services.certificates().get("/api/v1/certificates/" + id, user.token()).orThrow()
                .as(Certificate.class);
        return Response.status(r.status()).entity(Templates.delete(c, r.problem()).render())
                .build();
    }

    private String detailPage(UUID id, CertificateForm form, FormErrors errors, Authorization authorization,
            Problem authorizationProblem, String host, String port, Exchange exchange, String saved) {
        ApiResponse r = services.certificates().get("/api/v1/certificates/" + id, user.token()).orThrow();
        Certificate c = r.as(Certificate.class);
        return Templates.detail(c, r.etag().orElse(""), form == null ? CertificateForm.of(c) : form,
                errors, FIELDS, authorization, authorizationProblem, host == null ? "" : host, port == null ? "" : port,
                exchange, saved).render();
    }

    private Response reshowForm(CertificateForm form, Problem problem) {
        return Response.status(problem.status() >= 400 ? problem.status() : 400)
                .entity(Templates.form(form, FormErrors.of(problem), FIELDS).render()).build();
    }

    private static String pem(String field, FileUpload file, String pasted, List<Problem.FieldError> errors) {
        try {
            return PemField.value(file, pasted);
        } catch (PemField.TooLarge e) {
            errors.add(new Problem.FieldError(field, e.getMessage()));
            return null;
        }
    }

    private static void putIfGiven(Map<String, Object> body, String key, Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }


    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
