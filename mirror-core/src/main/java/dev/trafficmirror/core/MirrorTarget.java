package dev.trafficmirror.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A shadow endpoint that receives copies: a name (the {@code target} metric tag), a base URL and,
 * optionally, its own sampling percentage, and whether its answers are compared with the primary's
 * ({@link #compare}), or it is the control target ({@link #control}).
 *
 * <p>The URL is {@code http} or {@code https} with a host, an optional port and an optional base
 * path: with {@code http://reviews-v2:9080/v2}, a request to {@code /reviews/1} is mirrored to
 * {@code http://reviews-v2:9080/v2/reviews/1}. Nothing in a request can change the scheme, host or
 * port a copy goes to.
 */
public final class MirrorTarget {

    private final String name;
    private final String url;
    private final OptionalDouble percentage;
    private final boolean compare;
    private final boolean control;

    private MirrorTarget(String name, String url, OptionalDouble percentage) {
        this(name, url, percentage, false, false);
    }

    private MirrorTarget(String name, String url, OptionalDouble percentage, boolean compare, boolean control) {
        this.name = name;
        this.url = url;
        this.percentage = percentage;
        this.compare = compare;
        this.control = control;
    }

    /**
     * A target named after its URL's host and port.
     *
     * @throws IllegalArgumentException if the URL is not an absolute http(s) URL with a host
     */
    public static MirrorTarget of(String url) {
        URI uri = parse(url);
        return new MirrorTarget(uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort(),
                stripTrailingSlash(url), OptionalDouble.empty());
    }

    /**
     * A named target.
     *
     * @param name a short, stable name used as the {@code target} metric tag
     * @throws IllegalArgumentException if the name is blank or the URL is not an absolute http(s) URL
     */
    public static MirrorTarget of(String name, String url) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("target name must not be blank");
        }
        parse(url);
        return new MirrorTarget(name, stripTrailingSlash(url), OptionalDouble.empty());
    }

    /**
     * This target with its own sampling percentage, overriding {@link Mirror.Builder#percentage}.
     *
     * @param percent 0 to 100, decimals allowed (0.5 mirrors one request in 200)
     */
    public MirrorTarget percentage(double percent) {
        return new MirrorTarget(name, url, OptionalDouble.of(checkPercentage(percent, "percentage of target '" + name + "'")),
                compare, control);
    }

    /**
     * This target with its answers compared with the primary's ({@code true}) or not (the default).
     * Comparing costs the request thread a capped copy of the primary's answer, so it is off unless
     * asked for. See {@code dev.trafficmirror.core.compare.CompareOptions}.
     */
    public MirrorTarget compare(boolean compare) {
        return new MirrorTarget(name, url, percentage, compare || control, control);
    }

    /**
     * This target as the control ({@code true}): it runs the primary's own version, so whatever
     * differs between its answers and the primary's is noise (timestamps, random ids), and is not
     * reported for the other targets. A control is compared too. At most one target is the control;
     * give it at least the percentage of the targets it serves, so that it sees their requests.
     */
    public MirrorTarget control(boolean control) {
        return new MirrorTarget(name, url, percentage, control || compare, control);
    }

    /** Whether this target's answers are compared with the primary's (a control's are). */
    public boolean compares() {
        return compare;
    }

    /** Whether this target is the control: the primary's own version, whose differences are noise. */
    public boolean isControl() {
        return control;
    }

    /** The name, used as the {@code target} metric tag. */
    public String name() {
        return name;
    }

    /** The base URL, without a trailing slash. */
    public String url() {
        return url;
    }

    /** The target's own sampling percentage, if it has one. */
    public OptionalDouble percentage() {
        return percentage;
    }

    static double checkPercentage(double percent, String what) {
        if (!(percent >= 0.0 && percent <= 100.0)) {
            throw new IllegalArgumentException(what + " must be between 0 and 100, was " + percent);
        }
        return percent;
    }

    private static URI parse(String url) {
        Objects.requireNonNull(url, "target url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("target url '" + url + "' is not a valid URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("target url '" + url + "' must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("target url '" + url + "' has no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("target url '" + url + "' must not have a query, fragment or user info");
        }
        return uri;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MirrorTarget other && name.equals(other.name) && url.equals(other.url)
                && percentage.equals(other.percentage) && compare == other.compare && control == other.control;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, url, percentage, compare, control);
    }

    @Override
    public String toString() {
        return name + "=" + url + (percentage.isPresent() ? " (" + percentage.getAsDouble() + "%)" : "")
                + (control ? " [control]" : compare ? " [compare]" : "");
    }
}
