package dev.trafficmirror.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import okhttp3.HttpUrl;

/**
 * A shadow endpoint that receives copies: a name (the {@code target} metric tag), a base URL and,
 * optionally, settings of its own that override the mirror's: percentage, sampling, conditions,
 * header rules, whether it wants only copies of requests the primary answered in some way, and
 * whether it gets the body at all, and whether its answers are compared with the primary's
 * ({@link #compare}) or it is the control target ({@link #control}). Immutable: every setting
 * returns a new target.
 *
 * <pre>{@code
 * Mirror.builder()
 *     .target(MirrorTarget.of("a", "http://reviews-a:9080").percentage(1))
 *     .target(MirrorTarget.of("b", "http://reviews-b:9080/v2").percentage(3)
 *         .sampling(Sampling.stickyByCookie("SESSION"))
 *         .primaryStatus(Conditions.successful()))
 *     .build();
 * }</pre>
 *
 * <p>The URL is {@code http} or {@code https} with a host, an optional port and an optional base
 * path: with {@code http://reviews-v2:9080/v2}, a request to {@code /reviews/1} is mirrored to
 * {@code http://reviews-v2:9080/v2/reviews/1}. Nothing in a request can change the scheme, host or
 * port a copy goes to, nor lead it out of the base path.
 */
public final class MirrorTarget {

    /** Percentages are kept as parts per million of requests. */
    static final long ONE_MILLION = 1_000_000L;

    private final String name;
    private final String url;
    private final OptionalDouble percentage;
    private final Sampling sampling;
    private final Predicate<MirrorRequest> condition;
    private final IntPredicate primaryStatus;
    private final HeaderRules headers;
    private final boolean headersOnly;
    private final boolean compare;
    private final boolean control;

    private MirrorTarget(String name, String url, OptionalDouble percentage, Sampling sampling,
            Predicate<MirrorRequest> condition, IntPredicate primaryStatus, HeaderRules headers, boolean headersOnly,
            boolean compare, boolean control) {
        this.name = name;
        this.url = url;
        this.percentage = percentage;
        this.sampling = sampling;
        this.condition = condition;
        this.primaryStatus = primaryStatus;
        this.headers = headers;
        this.headersOnly = headersOnly;
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
                stripTrailingSlash(url), OptionalDouble.empty(), null, null, null, null, false, false, false);
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
        return new MirrorTarget(name, stripTrailingSlash(url), OptionalDouble.empty(), null, null, null, null, false, false, false);
    }

    /**
     * This target with its own sampling percentage, overriding {@link Mirror.Builder#percentage}.
     * It can be changed later, while running, with {@link Mirror#setPercentage}.
     *
     * @param percent 0 to 100, decimals allowed (0.5 mirrors one request in 200)
     */
    public MirrorTarget percentage(double percent) {
        return new MirrorTarget(name, url,
                OptionalDouble.of(checkPercentage(percent, "percentage of target '" + name + "'")),
                sampling, condition, primaryStatus, headers, headersOnly, compare, control);
    }

    /** This target with its own sampling strategy, overriding {@link Mirror.Builder#sampling}. */
    public MirrorTarget sampling(Sampling strategy) {
        return new MirrorTarget(name, url, percentage, Objects.requireNonNull(strategy, "sampling"),
                condition, primaryStatus, headers, headersOnly, compare, control);
    }

    /**
     * This target takes only requests that also meet {@code requestCondition}, besides the
     * mirror's own conditions; calling this again adds a condition (both must hold). Requests it
     * refuses are counted for this target as {@code excluded}.
     */
    public MirrorTarget condition(Predicate<MirrorRequest> requestCondition) {
        Objects.requireNonNull(requestCondition, "condition");
        return new MirrorTarget(name, url, percentage, sampling,
                condition == null ? requestCondition : condition.and(requestCondition),
                primaryStatus, headers, headersOnly, compare, control);
    }

    /**
     * This target takes only requests whose primary answered with a status {@code status} accepts,
     * e.g. {@link Conditions#successful()}; others are counted as {@code primary_status}. Needs
     * the primary's status at completion: a request handed over without it is not mirrored here.
     */
    public MirrorTarget primaryStatus(IntPredicate status) {
        return new MirrorTarget(name, url, percentage, sampling, condition,
                Objects.requireNonNull(status, "primaryStatus"), headers, headersOnly, compare, control);
    }

    /** This target with its own header and Host rules, replacing {@link Mirror.Builder#headers}. */
    public MirrorTarget headers(HeaderRules rules) {
        return new MirrorTarget(name, url, percentage, sampling, condition, primaryStatus,
                Objects.requireNonNull(rules, "headers"), headersOnly, compare, control);
    }

    /**
     * Whether this target gets copies without their body. A headers-only copy has no body
     * ({@code Content-Length: 0} for methods that need one), no headers describing the body
     * ({@code Content-Type}, {@code Content-Encoding}...), and is not refused for its body's size (unless
     * it shares the request with a target that needs the body, which is).
     * When every target picked for a request is headers-only, the body is not even teed.
     */
    public MirrorTarget headersOnly(boolean withoutBody) {
        return new MirrorTarget(name, url, percentage, sampling, condition, primaryStatus, headers, withoutBody,
                compare, control);
    }

    /**
     * This target with its answers compared with the primary's ({@code true}) or not (the default).
     * Comparing costs the request thread a capped copy of the primary's answer, so it is off unless
     * asked for. See {@code dev.trafficmirror.core.compare.CompareOptions}.
     */
    public MirrorTarget compare(boolean compareAnswers) {
        return new MirrorTarget(name, url, percentage, sampling, condition, primaryStatus, headers, headersOnly,
                compareAnswers || control, control);
    }

    /**
     * This target as the control ({@code true}): it runs the primary's own version, so whatever
     * differs between its answers and the primary's is noise (timestamps, random ids), and is not
     * reported for the other targets. A control is compared too. At most one target is the control;
     * give it at least the percentage of the targets it serves, so that it sees their requests.
     */
    public MirrorTarget control(boolean isControl) {
        return new MirrorTarget(name, url, percentage, sampling, condition, primaryStatus, headers, headersOnly,
                isControl || compare, isControl);
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

    /** The target's own sampling strategy, if it has one. */
    public Optional<Sampling> sampling() {
        return Optional.ofNullable(sampling);
    }

    /** The target's own request condition, if it has one. */
    public Optional<Predicate<MirrorRequest>> condition() {
        return Optional.ofNullable(condition);
    }

    /** The primary statuses this target takes copies of, if it is restricted. */
    public Optional<IntPredicate> primaryStatus() {
        return Optional.ofNullable(primaryStatus);
    }

    /** The target's own header rules, if it has them. */
    public Optional<HeaderRules> headers() {
        return Optional.ofNullable(headers);
    }

    /** Whether copies go to this target without their body. */
    public boolean isHeadersOnly() {
        return headersOnly;
    }

    static double checkPercentage(double percent, String what) {
        if (!(percent >= 0.0 && percent <= 100.0)) {
            throw new IllegalArgumentException(what + " must be between 0 and 100, was " + percent);
        }
        return percent;
    }

    /** A percentage as parts per million of requests, rounded. */
    static long perMillion(double percent) {
        return Math.round(percent * (ONE_MILLION / 100));
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
        if (uri.getHost() == null || HttpUrl.parse(url) == null) {
            throw new IllegalArgumentException("target url '" + url + "' has no valid host and port");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("target url '" + url + "' must not have a query, fragment or user info");
        }
        String basePath = uri.getRawPath();
        if (!basePath.isEmpty() && !basePath.equals(WireSyntax.path(basePath))) {
            throw new IllegalArgumentException("target url '" + url
                    + "' must have a plain base path: no dot segments, spaces or invalid percent-encoding");
        }
        return uri;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MirrorTarget other && name.equals(other.name) && url.equals(other.url)
                && percentage.equals(other.percentage) && Objects.equals(sampling, other.sampling)
                && Objects.equals(condition, other.condition) && Objects.equals(primaryStatus, other.primaryStatus)
                && Objects.equals(headers, other.headers) && headersOnly == other.headersOnly
                && compare == other.compare && control == other.control;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, url, percentage, sampling, condition, primaryStatus, headers, headersOnly, compare,
                control);
    }

    @Override
    public String toString() {
        return name + "=" + url + (percentage.isPresent() ? " (" + percentage.getAsDouble() + "%)" : "")
                + (sampling != null ? " " + sampling : "") + (headersOnly ? " headers-only" : "")
                + (control ? " [control]" : compare ? " [compare]" : "");
    }
}
