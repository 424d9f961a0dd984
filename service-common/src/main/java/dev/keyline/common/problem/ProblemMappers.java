package dev.keyline.common.problem;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.keyline.common.http.StreamedBodyLimit;
import dev.keyline.common.json.EveryBadField;
import dev.keyline.common.json.JsonFieldErrors;
import dev.keyline.common.json.StrictJsonParsing;
import dev.keyline.http.RequestTooLarge;
import dev.keyline.keys.KeyMaterialException;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every failure a client can cause into {@code application/problem+json}. Jackson's own
 * messages are never passed on: they quote the offending input, which may be a private key.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** The Retry-After of a 503 whose problem names none. */
    static final int DEFAULT_RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Problem problem = e.toProblem(path(uri));
        Integer retryAfter = e.retryAfterSeconds();
        if (retryAfter == null && problem.status() == 503) {
            // Every 503 here is a dependency that is away for now: say when to come back (RFC 9110 10.2.3).
            retryAfter = DEFAULT_RETRY_AFTER_SECONDS;
        }
        if (retryAfter == null) {
            return respond(problem);
        }
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).header("Retry-After", retryAfter)
                .entity(problem).build();
    }

    /** A body sent without a length ran past keyline.http.max-request-bytes while it was read. */
    @ServerExceptionMapper(priority = 1)
    public Response bodyTooLarge(StreamedBodyLimit.BodyTooLargeException e, UriInfo uri) {
        return tooLarge(e, uri);
    }

    private static Response tooLarge(StreamedBodyLimit.BodyTooLargeException e, UriInfo uri) {
        return tooLarge(RequestTooLarge.detail(e.limit()), RequestTooLarge.reason(e.limit()), uri);
    }

    /** Every oversized body gets the same problem type, whichever limit stopped it. */
    private static Response tooLarge(String detail, String reason, UriInfo uri) {
        // The rest of the body is never read: the connection cannot carry another request.
        return Response.status(413).type(Problem.MEDIA_TYPE).header("Connection", "close")
                .entity(new Problem(Problem.type(RequestTooLarge.TYPE), RequestTooLarge.TITLE, 413, detail,
                        path(uri), List.of(new FieldError("$", reason))))
                .build();
    }

    @ServerExceptionMapper
    public Response keyMaterial(KeyMaterialException e, UriInfo uri) {
        // Services normally wrap these with the field name; this is the safety net.
        return respond(new Problem(Problem.type("invalid-key-material"), "Invalid key material", 400, e.getMessage(),
                path(uri), null));
    }

    @ServerExceptionMapper(priority = 1)
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        return respond(ProblemException.invalidFields(Violations.of(e.getConstraintViolations())).toProblem(path(uri)));
    }

    /**
     * Every field of a body Jackson could not read as its type, or that the type does not have (see
     * {@link EveryBadField}), with the bean-validation violations of what was read without them: one
     * 400 as {@link Violations} answers, each field once, a field refused by Jackson not refused again.
     */
    @ServerExceptionMapper(priority = 1)
    public Response fieldErrors(JsonFieldErrors e, UriInfo uri) {
        List<FieldError> errors = new ArrayList<>(e.errors());
        Validator validator = e.partialValue() == null ? null : validator();
        if (validator != null) {
            List<FieldError> violations;
            try {
                violations = Violations.of(validator.validate(e.partialValue()));
            } catch (RuntimeException failed) {
                // A validator that cannot take what was read (a null it never meets otherwise): Jackson's alone.
                LOG.debugf("Bean validation of a partly read body failed: %s", failed.getClass().getName());
                violations = List.of();
            }
            for (FieldError violation : violations) {
                if (!Violations.covered(violation.field(), e.errors())) {
                    errors.add(violation);
                }
            }
        }
        return respond(ProblemException.invalidFields(errors).toProblem(path(uri)));
    }

    /** The services' Validator, or null outside a running application. */
    protected Validator validator() {
        ArcContainer container = Arc.container();
        if (container == null || !container.isRunning()) {
            return null;
        }
        InstanceHandle<Validator> handle = container.instance(Validator.class);
        return handle.isAvailable() ? handle.get() : null;
    }

    @ServerExceptionMapper(priority = 1)
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        String field = jsonPath(e);
        return respond(new Problem(Problem.type("invalid-request"), "Invalid request", 400,
                "Unknown field: " + field, path(uri), List.of(new FieldError(field, UNKNOWN_FIELD))));
    }

    /** The reason an unknown field is refused with. */
    public static final String UNKNOWN_FIELD = "unknown field";

    /**
     * The reason a value Jackson refused for its field is given ({@code expected string}, {@code wrong
     * type or shape}, {@code number out of range}, {@code unknown field}), as the single-field answers
     * here give it; null when what was thrown is no field's: malformed JSON, or a failure of another kind.
     * Never the value.
     */
    public static String jsonReason(Throwable e) {
        if (isMalformed(e)) {
            return null;
        }
        if (e instanceof UnrecognizedPropertyException) {
            return UNKNOWN_FIELD;
        }
        if (e instanceof InvalidFormatException f) {
            return "expected " + expected(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m) {
            return mismatchReason(m);
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InputCoercionException) {
                return "number out of range";
            }
        }
        return null;
    }

    /**
     * Malformed JSON, whichever way it was thrown (by the parser, or wrapped by databind with the path
     * it was at): a syntax error, a key named twice, a document nested too deep, content after the value.
     */
    public static boolean isMalformed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InputCoercionException) {
                return false;
            }
            if (t instanceof StreamReadException || t instanceof StreamConstraintsException
                    || t instanceof MismatchedInputException m && trailing(m)) {
                return true;
            }
        }
        return false;
    }

    private static boolean trailing(MismatchedInputException e) {
        // StrictJsonParsing: the original message names the token's type, never a value.
        return String.valueOf(e.getOriginalMessage()).startsWith("Trailing token");
    }

    private static String mismatchReason(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        boolean scalar = target != null && (target.isPrimitive() || target == String.class
                || Number.class.isAssignableFrom(target) || target == Boolean.class);
        return scalar ? "expected " + expected(target) : "wrong type or shape";
    }

    @ServerExceptionMapper(priority = 1)
    public Response badFormat(InvalidFormatException e, UriInfo uri) {
        String field = jsonPath(e);
        return respond(new Problem(Problem.type("invalid-request"), "Invalid request", 400,
                "Field " + field + " has the wrong type", path(uri), List.of(new FieldError(field,
                        "expected " + expected(e.getTargetType())))));
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        // StrictJsonParsing: the original message names the token's type, never a value.
        if (trailing(e)) {
            return respond(new Problem(Problem.type("malformed-json"), "Malformed JSON", 400,
                    "The request body has more after its JSON value", path(uri),
                    List.of(new FieldError("$", "content after the JSON value"))));
        }
        String field = jsonPath(e);
        return respond(new Problem(Problem.type("invalid-request"), "Invalid request", 400,
                "Field " + field + " has the wrong type or shape", path(uri),
                List.of(new FieldError(field, mismatchReason(e)))));
    }

    /** The JSON type a field takes, as a client knows it: "expected boolean" rather than "expected Boolean". */
    static String expected(Class<?> target) {
        if (target == null) {
            return "another type";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "boolean (true or false)";
        }
        if (target == String.class) {
            return "string";
        }
        if (target == int.class || target == long.class || target == short.class || target == byte.class
                || target == Integer.class || target == Long.class || target == Short.class || target == Byte.class
                || target == java.math.BigInteger.class) {
            return "whole number";
        }
        if (target == double.class || target == float.class || Number.class.isAssignableFrom(target)) {
            return "number";
        }
        return target.getSimpleName();
    }

    @ServerExceptionMapper(priority = 1)
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        // Reached also through web() for whatever Quarkus REST wrapped: the more specific answers first.
        if (e instanceof JsonFieldErrors f) {
            return fieldErrors(f, uri);
        }
        if (e instanceof InvalidFormatException f) {
            return badFormat(f, uri);
        }
        if (e instanceof MismatchedInputException m) {
            return mismatched(m, uri);
        }
        // One walk of the causes: a number out of range wins over a parser bound, wherever each sits.
        StreamConstraintsException overBound = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InputCoercionException c) {
                return outOfRange(e, c, uri);
            }
            if (overBound == null && t instanceof StreamConstraintsException c) {
                overBound = c;
            }
        }
        if (overBound != null) {
            return overLimit(overBound, uri);
        }
        String field = e instanceof JsonMappingException m ? jsonPath(m) : "$";
        // StrictJsonParsing: the original message names the key, never a value.
        boolean duplicate = String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field");
        return respond(new Problem(Problem.type("malformed-json"), "Malformed JSON", 400,
                duplicate ? "The request body names a key twice" : "The request body is not valid JSON", path(uri),
                List.of(new FieldError(field, duplicate ? "duplicate key" : "not valid JSON"))));
    }

    /**
     * A document over one of the parser's bounds (StrictJsonParsing's token count, Jackson's nesting depth
     * and sizes): well-formed, perhaps, but not read to its end, so nothing in it is named but the body.
     */
    private static Response overLimit(StreamConstraintsException e, UriInfo uri) {
        // Jackson's own messages name the bound and the figure reached, never a value.
        String message = String.valueOf(e.getOriginalMessage());
        String detail;
        String reason;
        if (message.startsWith("Token count")) {
            detail = "The request body has more than " + StrictJsonParsing.MAX_TOKENS + " JSON tokens";
            reason = "more than " + StrictJsonParsing.MAX_TOKENS + " JSON tokens (keys, values, brackets)";
        } else if (message.startsWith("Document nesting depth")) {
            detail = "The request body is nested too deep";
            reason = "nested too deep";
        } else {
            detail = "The request body is over a JSON size limit";
            reason = "over a JSON size limit";
        }
        return respond(new Problem(Problem.type("malformed-json"), "Malformed JSON", 400, detail, path(uri),
                List.of(new FieldError("$", reason))));
    }

    /**
     * A valid JSON number too large for its field ({@code "maxAttempts": 1099511627776} for an int):
     * Jackson's parser throws this; databind wraps it with the field's path, or, where it does not,
     * the parser's context still knows where it was.
     */
    private static Response outOfRange(JsonProcessingException e, InputCoercionException coercion, UriInfo uri) {
        String field = e instanceof JsonMappingException m && !m.getPath().isEmpty() ? jsonPath(m)
                : coercion.getProcessor() instanceof JsonParser p ? fieldPath(p.getParsingContext(), List.of()) : "$";
        return respond(new Problem(Problem.type("invalid-request"), "Invalid request", 400,
                "Field " + field + " is out of range", path(uri), List.of(new FieldError(field, "number out of range"))));
    }

    /**
     * {@code a.b[2].c}: the path of the value read in {@code home} (an object's context, whose current
     * name is the value's field, or an array's, whose current index is the value's), followed by the
     * path a mapping exception collected inside that value; {@code $} for the whole body.
     */
    public static String fieldPath(JsonStreamContext home, List<JsonMappingException.Reference> inner) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = home; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            }
        }
        StringBuilder sb = new StringBuilder(String.join("", parts));
        for (JsonMappingException.Reference ref : inner) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        String path = sb.length() > 0 && sb.charAt(0) == '.' ? sb.substring(1) : sb.toString();
        return path.isEmpty() ? "$" : shown(path);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response notAuthorized(NotAuthorizedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(new Problem(Problem.type("forbidden"), "Forbidden", 403,
                "The token does not carry the permission this operation needs", path(uri), null));
    }

    @ServerExceptionMapper(priority = 1)
    public Response notFound(NotFoundException e, UriInfo uri) {
        List<FieldError> unreadable = UnreadableParameters.of(e.getCause(), uri.getQueryParameters());
        if (!unreadable.isEmpty()) {
            return respond(new Problem(Problem.type("invalid-request"), "Invalid request", 400,
                    "The request has " + unreadable.size() + " query parameter(s) of the wrong type", path(uri), unreadable));
        }
        return respond(new Problem(Problem.type("not-found"), "Not found", 404, "No such resource", path(uri), null));
    }

    @ServerExceptionMapper(priority = 1)
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        Problem problem = new Problem(Problem.type("method-not-allowed"), "Method not allowed", 405,
                "This resource does not support that method", path(uri), null);
        Set<String> allowed = uri == null ? Set.of() : ResourceRoutes.allowed().forPath(uri.getPath());
        if (allowed.isEmpty()) {
            return respond(problem);
        }
        return Response.status(405).type(Problem.MEDIA_TYPE).header("Allow", String.join(", ", allowed))
                .entity(problem).build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response unsupported(NotSupportedException e, UriInfo uri) {
        return respond(new Problem(Problem.type("unsupported-media-type"), "Unsupported media type", 415,
                "Send application/json (or multipart/form-data where documented)", path(uri), null));
    }

    @ServerExceptionMapper(priority = 10)
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        // Quarkus REST wraps a body that is not JSON at all (e.g. cut off) in a plain 400.
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException json) {
                return malformedJson(json, uri);
            }
        }
        if (status == 413) {
            // Quarkus REST's multipart reader stops a chunked upload at its own limit with a plain 413.
            return tooLarge("The request body is larger than this service accepts", "body too large", uri);
        }
        if (status >= 500) {
            LOG.errorf("Request to %s failed with %d: %s", path(uri), status, e.getClass().getName());
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return respond(new Problem(Problem.type("http-" + status), title, status, title, path(uri), null));
    }

    @ServerExceptionMapper(priority = 1)
    public Response optimisticLock(OptimisticLockException e, UriInfo uri) {
        return concurrentChange(uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response staleState(StaleStateException e, UriInfo uri) {
        return concurrentChange(uri);
    }

    @ServerExceptionMapper(priority = 100)
    public Response unexpected(Exception e, UriInfo uri) {
        // The transaction manager wraps a lost optimistic-lock race met at commit: still the client's to retry.
        if (lostOptimisticLock(e)) {
            return concurrentChange(uri);
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            // Jackson or the reader may wrap the stream's own exception.
            if (t instanceof StreamedBodyLimit.BodyTooLargeException tooLarge) {
                return tooLarge(tooLarge, uri);
            }
        }
        if (DatabaseUnreachable.in(e)) {
            LOG.warnf("PostgreSQL unreachable on %s (%s): answered 503", path(uri), DatabaseUnreachable.reason(e));
            return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", DEFAULT_RETRY_AFTER_SECONDS)
                    .entity(new Problem(Problem.type("database-unavailable"), "Database unavailable", 503,
                            "The database is unavailable or has no connection free; nothing was changed. Retry later.",
                            path(uri), null))
                    .build();
        }
        if (tooManyFormFields(e)) {
            return respond(new Problem(Problem.type("invalid-request"), "Invalid request", 400,
                    "The form has more fields than any request here takes", path(uri),
                    List.of(new FieldError("$", "too many form fields"))));
        }
        // Log the types and stack frames, not the messages: third-party messages may quote input.
        LOG.errorf("Unexpected %s on %s%s", e.getClass().getName(), path(uri), frames(e));
        return respond(new Problem(Problem.type("internal-error"), "Internal error", 500,
                "The request failed unexpectedly; the error was logged", path(uri), null));
    }

    /** Stack frames of the exception and its causes, without any exception message. */
    static String frames(Throwable e) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 5; t = t.getCause(), depth++) {
            if (t != e) {
                sb.append("\ncaused by ").append(t.getClass().getName());
            }
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, 12); i++) {
                sb.append("\n\tat ").append(stack[i]);
            }
        }
        return sb.toString();
    }

    /**
     * Another request changed the resource between this one's read and its versioned write (both
     * passed the If-Match check): 409, read it again and retry. Never a 500.
     */
    static Response concurrentChange(UriInfo uri) {
        return respond(new Problem(Problem.type("concurrent-change"), "Conflict", 409,
                "The resource was changed by another request at the same time; read it again and retry", path(uri),
                null));
    }

    /**
     * Quarkus REST's multipart parser refuses a form with more fields than it keeps with a plain
     * RuntimeException ("Param limit of N was exceeded") thrown from its FormData: the caller's input,
     * not a failure of ours.
     */
    static boolean tooManyFormFields(Throwable e) {
        StackTraceElement[] stack = e.getStackTrace();
        return e.getClass() == RuntimeException.class && stack.length > 0
                && stack[0].getClassName().endsWith(".multipart.FormData")
                && String.valueOf(e.getMessage()).startsWith("Param limit of");
    }

    private static boolean lostOptimisticLock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    private static Response unauthorized(UriInfo uri) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer")
                .entity(new Problem(Problem.type("unauthenticated"), "Unauthenticated", 401,
                        "A valid bearer token is required", path(uri), null))
                .build();
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "$" : shown(sb.toString());
    }

    /** The longest field path echoed back: a map key in the path is the caller's own text, of any length. */
    static final int MAX_FIELD_PATH = 200;

    private static String shown(String fieldPath) {
        return fieldPath.length() <= MAX_FIELD_PATH ? fieldPath : fieldPath.substring(0, MAX_FIELD_PATH) + "…";
    }

    /**
     * Method-parameter paths look like {@code create.request.authorizedDomains[1]}: the method and a
     * body parameter's name mean nothing to the client, so the path starts after them. A plain
     * query or path parameter keeps its own name.
     */
    static String fieldOf(ConstraintViolation<?> v) {
        String parameter = null;
        StringBuilder sb = new StringBuilder();
        for (Path.Node node : v.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, CROSS_PARAMETER, RETURN_VALUE -> {
                }
                case PARAMETER -> parameter = node.getName();
                default -> {
                    if (node.getName() == null || node.getName().startsWith("<")) {
                        if (node.getIndex() != null) {
                            sb.append('[').append(node.getIndex()).append(']');
                        }
                        continue;
                    }
                    if (!sb.isEmpty()) {
                        sb.append('.');
                    }
                    sb.append(node.getName());
                    if (node.getIndex() != null) {
                        sb.append('[').append(node.getIndex()).append(']');
                    }
                }
            }
        }
        if (!sb.isEmpty()) {
            return sb.toString();
        }
        return parameter == null ? "$" : parameter;
    }
}
