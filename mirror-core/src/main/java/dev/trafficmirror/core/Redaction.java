package dev.trafficmirror.core;

import dev.trafficmirror.core.compare.engine.PathPattern;
import dev.trafficmirror.core.http.WireSyntax;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a recording target masks before an exchange leaves the process: header values by name, JSON
 * body fields by path and form fields by name, in the recorded request and in the primary's answer.
 * A masked value is replaced by {@value #MASK}. Immutable: each method returns new settings.
 *
 * <pre>{@code
 * Redaction.defaults()                        // Authorization, Proxy-Authorization, Cookie, Set-Cookie
 *     .headers("X-Api-Key")
 *     .jsonPaths("$.card.number", "$..password")
 *     .formFields("password", "card_number");
 * }</pre>
 *
 * <p>It fails closed: a body it should look into but cannot (not valid JSON, a compressed body, a
 * multipart body when form fields are masked) is not recorded at all, the record says why. JSON paths
 * need Jackson ({@code com.fasterxml.jackson.core:jackson-databind}) on the class path: without it a
 * mirror with JSON paths to mask does not build. Header rules ({@link HeaderRules}) run before: a
 * header they remove is not recorded either.
 */
public final class Redaction {

    /** What a masked value becomes. */
    public static final String MASK = "REDACTED";

    private static final Redaction NONE = new Redaction(List.of(), List.of(), List.of());
    private static final Redaction DEFAULTS = NONE.headers("Authorization", "Proxy-Authorization", "Cookie",
            "Set-Cookie");

    private final List<String> headers;
    private final List<String> jsonPaths;
    private final List<String> formFields;

    private Redaction(List<String> headers, List<String> jsonPaths, List<String> formFields) {
        this.headers = headers;
        this.jsonPaths = jsonPaths;
        this.formFields = formFields;
    }

    /** Masks nothing. */
    public static Redaction none() {
        return NONE;
    }

    /**
     * Masks the values of the headers that carry credentials: {@code Authorization},
     * {@code Proxy-Authorization}, {@code Cookie} and {@code Set-Cookie}. What a recording target
     * uses unless told otherwise.
     */
    public static Redaction defaults() {
        return DEFAULTS;
    }

    /**
     * These settings, and the values of these headers masked too (any case), in requests and answers.
     *
     * @throws IllegalArgumentException if a name is not a header name
     */
    public Redaction headers(String... names) {
        Set<String> more = new LinkedHashSet<>(headers);
        for (String name : Objects.requireNonNull(names, "headers")) {
            if (name == null || !WireSyntax.isToken(name)) {
                throw new IllegalArgumentException("redact headers: '" + name + "' is not a header name");
            }
            more.add(name.toLowerCase(Locale.ROOT));
        }
        return new Redaction(List.copyOf(more), jsonPaths, formFields);
    }

    /**
     * These settings, and the JSON fields at these paths masked too, with everything below them:
     * {@code $.card.number}, {@code $.items[*].secret}, {@code $..password} (at any depth),
     * {@code $['odd.key']}, the syntax of {@code CompareOptions.ignorePaths}.
     *
     * @throws IllegalArgumentException naming the path, if one is not valid
     */
    public Redaction jsonPaths(String... paths) {
        Set<String> more = new LinkedHashSet<>(jsonPaths);
        for (String path : Objects.requireNonNull(paths, "jsonPaths")) {
            try {
                more.add(PathPattern.parse(path).toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("redact JSON path " + e.getMessage()
                        + "; a path looks like $.field, $.list[2].field, $.list[*].field, $.*, $..field or $['odd.key']", e);
            }
        }
        return new Redaction(headers, List.copyOf(more), formFields);
    }

    /**
     * These settings, and the form fields of these names masked too (exact names, as decoded), in
     * {@code application/x-www-form-urlencoded} bodies and in query strings.
     *
     * @throws IllegalArgumentException if a name is empty
     */
    public Redaction formFields(String... names) {
        Set<String> more = new LinkedHashSet<>(formFields);
        for (String name : Objects.requireNonNull(names, "formFields")) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("redact form fields: a field name must not be empty");
            }
            more.add(name);
        }
        return new Redaction(headers, jsonPaths, List.copyOf(more));
    }

    /** The headers whose values are masked, in lower case. */
    public List<String> headers() {
        return headers;
    }

    /** The JSON paths masked, as written. */
    public List<String> jsonPaths() {
        return jsonPaths;
    }

    /** The form fields masked. */
    public List<String> formFields() {
        return formFields;
    }

    /** Whether nothing is masked. */
    public boolean isNone() {
        return headers.isEmpty() && jsonPaths.isEmpty() && formFields.isEmpty();
    }

    /** Whether bodies are looked into (JSON paths or form fields are masked). */
    public boolean masksBodies() {
        return !jsonPaths.isEmpty() || !formFields.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Redaction other && headers.equals(other.headers) && jsonPaths.equals(other.jsonPaths)
                && formFields.equals(other.formFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(headers, jsonPaths, formFields);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>(3);
        if (!headers.isEmpty()) {
            parts.add("headers " + headers);
        }
        if (!jsonPaths.isEmpty()) {
            parts.add("JSON " + jsonPaths);
        }
        if (!formFields.isEmpty()) {
            parts.add("form fields " + formFields);
        }
        return parts.isEmpty() ? "nothing redacted" : "redacting " + String.join(", ", parts);
    }
}
