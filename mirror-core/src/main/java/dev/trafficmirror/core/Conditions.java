package dev.trafficmirror.core;

import dev.trafficmirror.core.http.WireSyntax;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which requests are mirrored: conditions on a request's head, combined with {@link Predicate}'s
 * {@code and}, {@code or} and {@code negate}, and decided before any body is read.
 *
 * <pre>{@code
 * Mirror.builder()
 *     .target("http://reviews-v2:9080")
 *     .condition(Conditions.requestTo("/api/**")
 *         .and(Conditions.requestTo("/api/admin/**").negate())
 *         .and(Conditions.methods("GET", "HEAD")))
 *     .build();
 * }</pre>
 *
 * <p>A request a condition refuses is counted as skipped with reason {@code excluded} and costs
 * nothing more: its body is neither teed nor copied.
 */
public final class Conditions {

    private Conditions() {
    }

    /**
     * Requests whose path matches any of the patterns, written as Spring users write them:
     * {@code ?} is one character, {@code *} anything within a segment, {@code {name}} one segment
     * or part of one ({@code /pay/{id}/capture}), {@code **} any number of segments, and
     * {@code {*rest}}, as the last segment, the rest of the path (<code>/api/**</code>,
     * <code>/users/*&#47;orders</code>). The path matched is the path within the application: after
     * the context path ({@link MirrorRequest#contextPath()}), as Spring MVC's mappings see it;
     * percent-decoded, without path parameters ({@code ;jsessionid=...}) and with repeated slashes
     * collapsed, so that an encoded spelling cannot slip past a pattern.
     *
     * @throws IllegalArgumentException if there is no pattern, or one does not start with {@code /}
     *     or uses syntax that cannot be honoured exactly (a regular expression {@code {id:\d+}}, an
     *     unbalanced brace), saying which
     */
    public static Predicate<MirrorRequest> requestTo(String... patterns) {
        List<AntPattern> compiled = new ArrayList<>();
        for (String pattern : requireSome(patterns, "requestTo")) {
            compiled.add(AntPattern.compile(pattern));
        }
        return named("requestTo" + compiled, request -> {
            String path = request.applicationPath();
            for (AntPattern pattern : compiled) {
                if (pattern.matches(path)) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * Requests with one of these methods, compared ignoring case.
     *
     * @throws IllegalArgumentException if there is no method or one is not a token
     */
    public static Predicate<MirrorRequest> methods(String... methods) {
        Set<String> upper = new HashSet<>();
        for (String method : requireSome(methods, "methods")) {
            if (!WireSyntax.isToken(method)) {
                throw new IllegalArgumentException("methods: '" + method + "' is not an HTTP method");
            }
            upper.add(method.toUpperCase(Locale.ROOT));
        }
        return named("methods" + upper, request -> upper.contains(request.method().toUpperCase(Locale.ROOT)));
    }

    /** Requests that carry the header, whatever its value. */
    public static Predicate<MirrorRequest> header(String name) {
        requireHeaderName(name);
        return named("header(" + name + ")", request -> request.header(name) != null);
    }

    /** Requests where a value of the header equals {@code value} exactly. */
    public static Predicate<MirrorRequest> header(String name, String value) {
        requireHeaderName(name);
        Objects.requireNonNull(value, "value");
        return named("header(" + name + "=" + value + ")", request -> anyValue(request, name, value::equals));
    }

    /**
     * Requests where a whole value of the header matches the regular expression.
     *
     * @throws java.util.regex.PatternSyntaxException if the expression is invalid
     */
    public static Predicate<MirrorRequest> headerMatches(String name, String regex) {
        requireHeaderName(name);
        Pattern pattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
        return named("headerMatches(" + name + "~" + regex + ")",
                request -> anyValue(request, name, value -> pattern.matcher(value).matches()));
    }

    /** Every request. */
    public static Predicate<MirrorRequest> always() {
        return named("always", request -> true);
    }

    /**
     * Primary status codes from 200 to 299, for {@link MirrorTarget#primaryStatus}: mirror only
     * what the primary handled successfully (keeps failed writes off the shadow).
     */
    public static IntPredicate successful() {
        return statusBetween(200, 299);
    }

    /**
     * Primary status codes from {@code lowest} to {@code highest}, both included.
     *
     * @throws IllegalArgumentException unless 100 &lt;= lowest &lt;= highest &lt;= 999
     */
    public static IntPredicate statusBetween(int lowest, int highest) {
        if (lowest < 100 || highest > 999 || lowest > highest) {
            throw new IllegalArgumentException("statusBetween needs 100 <= lowest <= highest <= 999, was "
                    + lowest + ".." + highest);
        }
        return status -> status >= lowest && status <= highest;
    }

    private static boolean anyValue(MirrorRequest request, String name, Predicate<String> test) {
        for (Map.Entry<String, String> header : request.headers()) {
            if (header.getKey().equalsIgnoreCase(name) && test.test(header.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static String[] requireSome(String[] values, String what) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(what + " needs at least one value");
        }
        return values;
    }

    private static void requireHeaderName(String name) {
        if (!WireSyntax.isToken(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a header name");
        }
    }

    /** A condition that says what it is in logs and exceptions. */
    private static Predicate<MirrorRequest> named(String description, Predicate<MirrorRequest> condition) {
        return new Predicate<>() {
            @Override
            public boolean test(MirrorRequest request) {
                return condition.test(request);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
