package dev.keyline.common.http;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

/**
 * The methods a request path supports, read from the resource classes' own JAX-RS annotations: a 405
 * must say them in {@code Allow} (RFC 9110 15.5.6), and Quarkus REST's {@code NotAllowedException}
 * does not carry them. Read from the code, not from a list, so a new endpoint needs nothing here.
 */
public final class AllowedMethods {

    private static final Pattern PARAMETER = Pattern.compile("\\{\\s*\\w[\\w.-]*\\s*(?::\\s*((?:[^{}]|\\{[^{}]*\\})*))?}");

    private final List<Route> routes;

    private AllowedMethods(List<Route> routes) {
        this.routes = routes;
    }

    /** The routes of these resource classes (those without a class-level {@code @Path} are skipped). */
    public static AllowedMethods of(Iterable<Class<?>> resourceClasses) {
        List<String[]> routes = new ArrayList<>();
        for (Class<?> type : resourceClasses) {
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String verb = httpMethod(method);
                if (verb != null) {
                    Path sub = method.getAnnotation(Path.class);
                    routes.add(new String[] { verb, join(root.value(), sub == null ? "" : sub.value()) });
                }
            }
        }
        return ofTemplates(routes);
    }

    /** The routes given as {method, path template} pairs, templates as JAX-RS writes them ({@code /a/{id}/b}). */
    static AllowedMethods ofTemplates(List<String[]> methodAndTemplate) {
        return new AllowedMethods(methodAndTemplate.stream().map(r -> Route.of(normalise(r[1]), r[0])).toList());
    }

    /**
     * The methods allowed on {@code path}, as JAX-RS would match it: only the best-matching templates
     * count (most literal characters, then most parameters), so a literal path does not inherit the
     * methods of a template beside it. HEAD comes with GET and OPTIONS always (Quarkus REST answers
     * both itself). Empty when no route matches the path.
     */
    public Set<String> forPath(String path) {
        String p = normalise(path);
        List<Route> matching = routes.stream().filter(r -> r.pattern().matcher(p).matches()).toList();
        Set<String> allowed = new TreeSet<>();
        if (matching.isEmpty()) {
            return allowed;
        }
        Route best = matching.stream().max(Route.PRECEDENCE).orElseThrow();
        for (Route r : matching) {
            if (Route.PRECEDENCE.compare(r, best) == 0) {
                allowed.add(r.method());
            }
        }
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        allowed.add("OPTIONS");
        return allowed;
    }

    private static String httpMethod(Method method) {
        for (Annotation a : method.getAnnotations()) {
            HttpMethod verb = a.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String join(String root, String sub) {
        return normalise(normalise(root) + "/" + sub);
    }

    private static String normalise(String path) {
        String p = ("/" + path).replaceAll("/{2,}", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** One method on one path template; literals and parameters as JAX-RS ranks them. */
    private record Route(Pattern pattern, String method, int literals, int parameters) {

        static final Comparator<Route> PRECEDENCE = Comparator.comparingInt(Route::literals)
                .thenComparingInt(Route::parameters);

        static Route of(String template, String method) {
            StringBuilder regex = new StringBuilder();
            int literals = 0;
            int parameters = 0;
            int at = 0;
            Matcher m = PARAMETER.matcher(template);
            while (m.find()) {
                String literal = template.substring(at, m.start());
                regex.append(Pattern.quote(literal));
                literals += literal.length();
                regex.append(m.group(1) == null ? "[^/]+" : "(?:" + m.group(1).strip() + ")");
                parameters++;
                at = m.end();
            }
            String rest = template.substring(at);
            regex.append(Pattern.quote(rest));
            literals += rest.length();
            return new Route(Pattern.compile(regex.toString()), method, literals, parameters);
        }
    }
}
