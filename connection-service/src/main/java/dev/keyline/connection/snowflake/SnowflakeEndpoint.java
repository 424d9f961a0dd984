package dev.keyline.connection.snowflake;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the driver connects. Real Snowflake by default ({@code https://<account>.snowflakecomputing.com});
 * {@code details.host} overrides it with {@code https://host[:port]} (or a bare host name). Plain
 * HTTP, as the snowflake-emulator serves it, only when the deployment allows it and only on loopback.
 *
 * @param url normalised URL shown to users and stored when given ({@code https://host[:port]})
 * @param jdbcUrl what the driver is given
 * @param plainHttp whether the connection is unencrypted (emulator only)
 */
public record SnowflakeEndpoint(String url, String jdbcUrl, boolean plainHttp) {

    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
    private static final Pattern ACCOUNT_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern HOST = Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    /** Snowflake's domain, which {@link #resolve} appends to the account: never part of the account. */
    private static final String DOMAIN = ".snowflakecomputing.com";
    /** Host-name endings of Snowflake endpoints, longest first; all but {@link #DOMAIN} also need details.host. */
    private static final java.util.List<String> DOMAINS = java.util.List.of(".privatelink.snowflakecomputing.com",
            ".privatelink.snowflakecomputing.cn", DOMAIN, ".snowflakecomputing.cn");

    /** Why an account identifier is unusable, or null when it is fine. */
    public static String accountProblem(String account) {
        if (account == null || account.isBlank()) {
            return "is required";
        }
        String hostProblem = hostGivenAsAccount(account);
        if (hostProblem != null) {
            return hostProblem;
        }
        if (!ACCOUNT.matcher(account).matches()) {
            return "must be a Snowflake account identifier (letters, digits, '_', '-' and '.'), "
                    + "such as myorg-myaccount or xy12345.eu-central-1";
        }
        // It becomes the host name <account>.snowflakecomputing.com ('_' as '-'): "a..b", "x-" or a
        // 64-character part name no host and only failed at the first login, after being stored.
        for (String label : account.replace('_', '-').split("\\.", -1)) {
            if (!ACCOUNT_LABEL.matcher(label).matches()) {
                return "must be a Snowflake account identifier: each '.'-separated part 1 to 63 characters, "
                        + "not starting or ending with '-' or '_'";
            }
        }
        return null;
    }

    /**
     * The reason for an account given as Snowflake's host name or URL ({@code xy12345.snowflakecomputing.com},
     * {@code https://xy12345.privatelink.snowflakecomputing.com/}, any case), naming the identifier to send
     * instead: taken as it is, it became the host {@code xy12345.snowflakecomputing.com.snowflakecomputing.com},
     * which no login reaches. Null for anything else.
     */
    private static String hostGivenAsAccount(String account) {
        String host = account.strip();
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        for (char end : new char[] { '/', '?', '#', ':' }) {
            int at = host.indexOf(end);
            if (at >= 0) {
                host = host.substring(0, at);
            }
        }
        String lower = host.toLowerCase(Locale.ROOT);
        String domain = DOMAINS.stream().filter(lower::endsWith).findFirst().orElse(null);
        if (domain == null) {
            return scheme >= 0 ? "must be a Snowflake account identifier, not a URL: such as myorg-myaccount or "
                    + "xy12345.eu-central-1 (the part before .snowflakecomputing.com); a different host goes in "
                    + "details.host" : null;
        }
        String identifier = host.substring(0, host.length() - domain.length());
        // Only a well-formed identifier is quoted back (with its host); anything else is not echoed.
        boolean wellFormed = ACCOUNT.matcher(identifier).matches();
        return "must be the account identifier without '" + domain + "' (Keyline adds the domain): send "
                + (wellFormed ? "\"" + identifier + "\"" : "the part before it")
                + (domain.equals(DOMAIN) ? ""
                        : ", and the host name " + (wellFormed ? lower + " " : "") + "in details.host");
    }

    /**
     * @param host null or blank for Snowflake's own URL of the account
     * @throws IllegalArgumentException with a reason that names what to change (never echoes secrets:
     *         a host is not one)
     */
    public static SnowflakeEndpoint resolve(String account, String host, boolean allowPlainHttp) {
        if (host == null || host.isBlank()) {
            // Snowflake's URLs spell underscores of account names as hyphens.
            String name = account.toLowerCase(Locale.ROOT).replace('_', '-') + ".snowflakecomputing.com";
            return new SnowflakeEndpoint("https://" + name, "jdbc:snowflake://" + name + ":443/", false);
        }
        String text = host.strip();
        if (!text.contains("://")) {
            text = "https://" + text;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("must be https://host[:port] or a host name");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("must be https://host[:port] without user, path, query or fragment");
        }
        String hostName = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (hostName == null || !(HOST.matcher(hostName).matches() || hostName.equals("[::1]"))) {
            throw new IllegalArgumentException("must be https://host[:port] with a valid host name");
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535) {
            throw new IllegalArgumentException("has an invalid port");
        }
        switch (scheme) {
            case "https" -> {
                int effective = port < 0 ? 443 : port;
                String url = "https://" + hostName + (port < 0 || port == 443 ? "" : ":" + port);
                return new SnowflakeEndpoint(url, "jdbc:snowflake://" + hostName + ":" + effective + "/", false);
            }
            case "http" -> {
                if (!allowPlainHttp) {
                    throw new IllegalArgumentException("plain http is refused: Snowflake is reached over https only "
                            + "(connection-service.snowflake.allow-plain-http is off)");
                }
                if (!LOOPBACK.contains(hostName)) {
                    throw new IllegalArgumentException("plain http is allowed for loopback emulators only "
                            + "(http://127.0.0.1:PORT); use https for " + hostName);
                }
                if (port < 0) {
                    throw new IllegalArgumentException("plain http needs an explicit port (http://127.0.0.1:PORT)");
                }
                String url = "http://" + hostName + ":" + port;
                return new SnowflakeEndpoint(url, "jdbc:snowflake://" + hostName + ":" + port + "/?ssl=off", true);
            }
            default -> throw new IllegalArgumentException("must use https (got " + scheme + ")");
        }
    }
}
