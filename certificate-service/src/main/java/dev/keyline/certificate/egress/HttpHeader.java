package dev.keyline.certificate.egress;

/**
 * One header field. Validated on construction so a value holding CR or LF can never reach the
 * wire and split the request (header injection).
 *
 * @param name  an RFC 9110 token
 * @param value visible ASCII, spaces and tabs only
 */
public record HttpHeader(String name, String value) {

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    public HttpHeader {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("header name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || TOKEN_SYMBOLS.indexOf(c) >= 0;
            if (!token) {
                throw new IllegalArgumentException("header name '" + printable(name) + "' contains an invalid character");
            }
        }
        if (value == null) {
            throw new IllegalArgumentException("header " + name + " has no value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException("header " + name + " contains a line break");
            }
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                throw new IllegalArgumentException("header " + name + " contains a control or non-ASCII character");
            }
        }
    }

    /** Case-insensitive name comparison, as HTTP defines it. */
    public boolean named(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** Values may carry credentials (Authorization, API keys): never print them. */
    @Override
    public String toString() {
        return name + ": <" + value.length() + " chars>";
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 64; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
