package dev.trafficmirror.core;

import dev.trafficmirror.core.http.WireSyntax;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a copy's headers differ from the request's: headers removed, set or added, and which
 * {@code Host} the copy carries. Immutable: each method returns new rules with one more step.
 *
 * <pre>{@code
 * HeaderRules rules = HeaderRules.defaults()
 *     .remove("Authorization", "Cookie")       // no credentials to the shadow
 *     .set("X-Env", "shadow")                  // replaces any value the request had
 *     .add("X-Shadow-Reason", "canary")        // appended after the request's own values
 *     .hostSuffix("-shadow");                  // Host: reviews:9080 -> reviews-shadow:9080
 * Mirror.builder().target(...).headers(rules);                        // for every target
 * MirrorTarget.of("v3", "http://v3:9080").headers(rules.preserveHost()); // this target only
 * }</pre>
 *
 * <p>The steps run in order, after hop-by-hop headers were dropped and {@code X-Forwarded-For},
 * {@code -Host} and {@code -Proto} were added (so those can be removed or set too). Names are
 * compared ignoring case. The mirror owns some headers, which no rule may name: {@code Host} (see
 * the host methods), {@code X-Mirror-Id}, {@code Content-Length}, {@code Expect} and the hop-by-hop
 * headers.
 *
 * <p>Host, by default the target's own ({@code reviews-v2:9080}); the original request's Host,
 * kept as received; a fixed value; or the original with a suffix added to its host name, like
 * Istio's {@code -shadow}. Whatever the Host, the copy is sent to the target's address: the
 * header changes how the shadow sees the request, never where it goes. The original Host is also
 * in {@code X-Forwarded-Host}.
 */
public final class HeaderRules {

    private static final Set<String> OWNED = Set.of("host", "x-mirror-id", "content-length", "expect");
    private static final Pattern HOST = Pattern.compile("([A-Za-z0-9._~-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");
    private static final Pattern SUFFIX = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final HeaderRules DEFAULTS = new HeaderRules(List.of(), HostMode.TARGET, null);

    private enum Kind { REMOVE, SET, ADD }

    private enum HostMode { TARGET, ORIGINAL, LITERAL, SUFFIX }

    private record Step(Kind kind, String name, String value) {
    }

    private final List<Step> steps;
    private final HostMode hostMode;
    private final String hostValue;

    private HeaderRules(List<Step> steps, HostMode hostMode, String hostValue) {
        this.steps = steps;
        this.hostMode = hostMode;
        this.hostValue = hostValue;
    }

    /** No header changed; the target's Host. What a mirror uses unless told otherwise. */
    public static HeaderRules defaults() {
        return DEFAULTS;
    }

    /**
     * These rules, then: remove every value of these headers.
     *
     * @throws IllegalArgumentException if a name is not a header name or is owned by the mirror
     */
    public HeaderRules remove(String... names) {
        if (names == null || names.length == 0) {
            throw new IllegalArgumentException("headers.remove needs at least one header name");
        }
        List<Step> more = new ArrayList<>(steps);
        for (String name : names) {
            more.add(new Step(Kind.REMOVE, checkName(name, "remove"), null));
        }
        return new HeaderRules(List.copyOf(more), hostMode, hostValue);
    }

    /**
     * These rules, then: replace every value of the header with this one (or add it).
     *
     * @throws IllegalArgumentException if the name is owned by the mirror or the value has control characters
     */
    public HeaderRules set(String name, String value) {
        return with(new Step(Kind.SET, checkName(name, "set"), checkValue(name, value, "set")));
    }

    /**
     * These rules, then: add one value for the header, after any the request had.
     *
     * @throws IllegalArgumentException if the name is owned by the mirror or the value has control characters
     */
    public HeaderRules add(String name, String value) {
        return with(new Step(Kind.ADD, checkName(name, "add"), checkValue(name, value, "add")));
    }

    /** These rules with the target's Host, as in its URL (the default). */
    public HeaderRules targetHost() {
        return new HeaderRules(steps, HostMode.TARGET, null);
    }

    /**
     * These rules with the original request's Host, as received (the target's when the request had
     * none). For shadows that route or build links by Host.
     */
    public HeaderRules preserveHost() {
        return new HeaderRules(steps, HostMode.ORIGINAL, null);
    }

    /**
     * These rules with a fixed Host.
     *
     * @param hostAndPort a host name or IP literal, with an optional port ({@code reviews.internal:9080})
     * @throws IllegalArgumentException if it is not a host with an optional port
     */
    public HeaderRules host(String hostAndPort) {
        if (hostAndPort == null || !HOST.matcher(hostAndPort).matches()) {
            throw new IllegalArgumentException("headers.host must be a host name with an optional port, was '"
                    + hostAndPort + "'");
        }
        return new HeaderRules(steps, HostMode.LITERAL, hostAndPort);
    }

    /**
     * These rules with the original Host plus a suffix on its host name, before the port, as Istio
     * and Envoy do: with {@code -shadow}, {@code reviews:9080} becomes {@code reviews-shadow:9080}.
     * An IP-literal Host is kept as it is; a request without Host gets the target's.
     *
     * @throws IllegalArgumentException if the suffix has characters a host name cannot have
     */
    public HeaderRules hostSuffix(String suffix) {
        if (suffix == null || !SUFFIX.matcher(suffix).matches()) {
            throw new IllegalArgumentException("headers.host-suffix must be letters, digits, '.', '-', '_' or '~', was '"
                    + suffix + "'");
        }
        return new HeaderRules(steps, HostMode.SUFFIX, suffix);
    }

    private HeaderRules with(Step step) {
        List<Step> more = new ArrayList<>(steps);
        more.add(step);
        return new HeaderRules(List.copyOf(more), hostMode, hostValue);
    }

    /** Runs the steps over a copy's headers, in place. */
    void apply(List<Map.Entry<String, String>> headers) {
        for (Step step : steps) {
            if (step.kind != Kind.ADD) {
                for (Iterator<Map.Entry<String, String>> it = headers.iterator(); it.hasNext(); ) {
                    if (it.next().getKey().equalsIgnoreCase(step.name)) {
                        it.remove();
                    }
                }
            }
            if (step.kind != Kind.REMOVE) {
                headers.add(Map.entry(step.name, step.value));
            }
        }
    }

    /** The Host the copy carries, or {@code null} for the target's own. */
    String host(MirrorRequest original) {
        if (hostMode == HostMode.TARGET) {
            return null;
        }
        if (hostMode == HostMode.LITERAL) {
            return hostValue;
        }
        String host = original.header("Host");
        if (host == null || host.isEmpty()) {
            return null;
        }
        if (hostMode == HostMode.ORIGINAL || host.startsWith("[")) {
            return host;
        }
        int portAt = host.lastIndexOf(':');
        return portAt < 0 ? host + hostValue : host.substring(0, portAt) + hostValue + host.substring(portAt);
    }

    private static String checkName(String name, String step) {
        if (!WireSyntax.isToken(name)) {
            throw new IllegalArgumentException("headers." + step + ": '" + name + "' is not a header name");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (OWNED.contains(lower) || ShadowHeaders.HOP_BY_HOP.contains(lower)) {
            throw new IllegalArgumentException("headers." + step + ": '" + name
                    + "' is set by the mirror itself (Host has its own rules: targetHost, preserveHost, host, hostSuffix)");
        }
        return name;
    }

    private static String checkValue(String name, String value, String step) {
        Objects.requireNonNull(value, "value of header " + name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                throw new IllegalArgumentException("headers." + step + ": the value of '" + name
                        + "' must be printable ASCII, without line breaks");
            }
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderRules other && steps.equals(other.steps) && hostMode == other.hostMode
                && Objects.equals(hostValue, other.hostValue);
    }

    @Override
    public int hashCode() {
        return Objects.hash(steps, hostMode, hostValue);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("HeaderRules[");
        for (Step step : steps) {
            text.append(step.kind.name().toLowerCase(Locale.ROOT)).append(' ').append(step.name)
                    .append(step.value == null ? "" : "=" + step.value).append(", ");
        }
        text.append("host=").append(hostMode.name().toLowerCase(Locale.ROOT));
        return text.append(hostValue == null ? "" : " " + hostValue).append(']').toString();
    }
}
