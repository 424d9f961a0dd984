package dev.keyline.console.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.keyline.console.api.Problem;
import io.quarkus.qute.TemplateData;

/**
 * A service's problem laid onto a form: each field error next to its field (the service's field
 * names, e.g. {@code passphrase}, {@code details.privateKey}, {@code authorizedDomains[1]}), and
 * the rest at the top of the form.
 */
@TemplateData
public final class FormErrors {

    private static final FormErrors NONE = new FormErrors(null, Map.of());

    private final Problem problem;
    /** The service's field name → the form's field name, for services whose names differ from the form's. */
    private final Map<String, String> aliases;

    private FormErrors(Problem problem, Map<String, String> aliases) {
        this.problem = problem;
        this.aliases = aliases;
    }

    public static FormErrors none() {
        return NONE;
    }

    public static FormErrors of(Problem problem) {
        return new FormErrors(problem, Map.of());
    }

    /** {@code aliases}: service field → form field, e.g. {@code details.privateKey → privateKey}. */
    public static FormErrors of(Problem problem, Map<String, String> aliases) {
        return new FormErrors(problem, aliases);
    }

    public boolean any() {
        return problem != null;
    }

    public Problem problem() {
        return problem;
    }

    /** What the service said about this form field; empty when nothing. */
    public String at(String field) {
        if (problem == null) {
            return "";
        }
        List<String> reasons = new ArrayList<>();
        for (Problem.FieldError e : problem.fieldErrors()) {
            String name = formField(e.field());
            if (name.equals(field)) {
                reasons.add(e.reason());
            } else if (name.startsWith(field + "[")) {
                reasons.add(name.substring(field.length()) + ": " + e.reason());
            }
        }
        return String.join("; ", reasons);
    }

    /** Field errors that no form field shows, so they are listed at the top. */
    public List<Problem.FieldError> unplaced(String[] formFields) {
        if (problem == null) {
            return List.of();
        }
        List<String> known = List.of(formFields);
        return problem.fieldErrors().stream().filter(e -> {
            String name = formField(e.field());
            return known.stream().noneMatch(f -> name.equals(f) || name.startsWith(f + "["));
        }).toList();
    }

    private String formField(String serviceField) {
        if (serviceField == null) {
            return "";
        }
        for (Map.Entry<String, String> a : aliases.entrySet()) {
            if (serviceField.equals(a.getKey()) || serviceField.startsWith(a.getKey() + "[")) {
                return a.getValue() + serviceField.substring(a.getKey().length());
            }
        }
        return serviceField;
    }
}
