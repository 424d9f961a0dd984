package dev.keyline.connection.snowflake;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.keyline.connection.config.ConnectionServiceConfig;

/**
 * Where a stored key may sign in. A login JWT signed with a connection's key is replayable against
 * its real account until it expires, so {@code details.host} may only name the account's own
 * Snowflake endpoint — {@code <account>.snowflakecomputing.com}, its PrivateLink form
 * {@code <account>.privatelink.snowflakecomputing.com}, a locator's regional forms
 * ({@code <locator>.<region>[.<cloud>][.privatelink].snowflakecomputing.com}) and the same under
 * {@code snowflakecomputing.cn} — or a host the deployment allows explicitly
 * ({@code connection-service.snowflake.allowed-hosts}: exact names or {@code *.example.com}).
 * Loopback endpoints (and plain HTTP, loopback only) are the local-only setting the emulator needs
 * ({@code connection-service.snowflake.allow-plain-http}).
 */
@Singleton
public class SnowflakeHostPolicy {

    private static final List<String> DOMAINS = List.of(".snowflakecomputing.com", ".snowflakecomputing.cn");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private final boolean allowLocal;
    private final List<String> allowedHosts;

    @Inject
    public SnowflakeHostPolicy(ConnectionServiceConfig config) {
        this(config.snowflake().allowPlainHttp(), config.snowflake().allowedHosts().orElse(List.of()));
    }

    public SnowflakeHostPolicy(boolean allowLocal, List<String> allowedHosts) {
        this.allowLocal = allowLocal;
        this.allowedHosts = allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                .toList();
    }

    /**
     * The endpoint for {@code host} (null: the account's default), if this policy lets the
     * account's key sign in there.
     *
     * @throws IllegalArgumentException with a reason naming what is allowed (a host is no secret)
     */
    public SnowflakeEndpoint resolve(String account, String host) {
        SnowflakeEndpoint endpoint = SnowflakeEndpoint.resolve(account, host, allowLocal);
        if (host == null || host.isBlank()) {
            return endpoint;
        }
        String name = URI.create(endpoint.url()).getHost().toLowerCase(Locale.ROOT);
        if (LOOPBACK.contains(name)) {
            if (!allowLocal) {
                throw new IllegalArgumentException("loopback endpoints are a local-only setting "
                        + "(connection-service.snowflake.allow-plain-http is off)");
            }
            return endpoint;
        }
        if (isAccountEndpoint(account, name) || isAllowListed(name)) {
            return endpoint;
        }
        throw new IllegalArgumentException("must be the account's own Snowflake endpoint ("
                + defaultName(account) + " or " + defaultName(account).replace(".snowflakecomputing.com",
                        ".privatelink.snowflakecomputing.com")
                + ") or a host in connection-service.snowflake.allowed-hosts");
    }

    /** Whether {@code host} is one of Snowflake's names for {@code account}. */
    static boolean isAccountEndpoint(String account, String host) {
        Set<String> spellings = new LinkedHashSet<>();
        String lower = account.toLowerCase(Locale.ROOT);
        spellings.add(lower);
        // Snowflake's URLs may spell an account name's underscores as hyphens.
        spellings.add(lower.replace('_', '-'));
        for (String domain : DOMAINS) {
            if (!host.endsWith(domain)) {
                continue;
            }
            String prefix = host.substring(0, host.length() - domain.length());
            if (prefix.endsWith(".privatelink")) {
                prefix = prefix.substring(0, prefix.length() - ".privatelink".length());
            }
            for (String a : spellings) {
                if (prefix.equals(a)) {
                    return true;
                }
                // A locator named without its region: <locator>.<region>[.<cloud>].
                if (!a.contains(".") && prefix.startsWith(a + ".")) {
                    String[] labels = prefix.substring(a.length() + 1).split("\\.", -1);
                    if (labels.length <= 2 && java.util.Arrays.stream(labels).allMatch(l -> LABEL.matcher(l).matches())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private boolean isAllowListed(String host) {
        for (String allowed : allowedHosts) {
            if (allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) && host.length() > allowed.length() - 1
                    : host.equals(allowed)) {
                return true;
            }
        }
        return false;
    }

    private static String defaultName(String account) {
        return URI.create(SnowflakeEndpoint.resolve(account, null, false).url()).getHost();
    }
}
