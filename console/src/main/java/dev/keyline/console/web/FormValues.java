package dev.keyline.console.web;

/**
 * What a form field's text becomes in a request to a service: an empty field is no value (the services
 * tell "not sent" from "sent empty"), and a typed one loses the spaces around it, except a secret, which
 * is sent exactly as typed (a passphrase may begin or end with a space).
 */
public final class FormValues {

    private FormValues() {
    }

    /** Null for an empty or blank field, else the text without surrounding whitespace. */
    public static String text(String field) {
        return field == null || field.isBlank() ? null : field.strip();
    }

    /** Null for an empty or blank field, else the text exactly as typed. */
    public static String secret(String field) {
        return field == null || field.isBlank() ? null : field;
    }
}
