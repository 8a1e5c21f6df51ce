package dev.trafficmirror.core.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a target's copies go, read once from its URL: the one place a target URL is parsed and
 * checked. {@code http} or {@code https}; a host, which is a name ({@code _} allowed, as in
 * docker-compose's {@code shadow_v2}; one trailing dot for an absolute name), an IPv4 address or an
 * IPv6 address in brackets; an optional port; an optional plain base path. No user info, query or
 * fragment.
 *
 * @param tls whether copies go over TLS ({@code https})
 * @param host the host in lower case, without the brackets of an IPv6 address: what is resolved and verified
 * @param port the port, the scheme's default when the URL has none
 * @param basePath the path every copy's path is put under, without a trailing slash; empty for none
 * @param authority the host and port as written in the URL: the target's default name
 * @param hostHeader the {@code Host} a copy carries when its header rules choose none
 */
public record TargetAddress(boolean tls, String host, int port, String basePath, String authority, String hostHeader) {

    /** A host (a name, an IPv4 address, or an IPv6 address in brackets) and an optional port. */
    private static final Pattern AUTHORITY = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._~-]+)(?::([0-9]{1,5}))?");

    /**
     * Parses and checks a target URL.
     *
     * @throws IllegalArgumentException saying what the URL lacks or has that it must not
     */
    public static TargetAddress of(String url) {
        Objects.requireNonNull(url, "target url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("target url '" + url + "' is not a valid URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("target url '" + url + "' must start with http:// or https://"
                    + " (or, to record, file: or kafka://)");
        }
        // The authority is read here, not by URI.getHost(), which has no host for a name with '_'
        // (shadow_v2, as docker-compose names services): such a name resolves like any other.
        String authority = uri.getRawAuthority();
        if (authority != null && authority.indexOf('@') >= 0 || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("target url '" + url + "' must not have a query, fragment or user info");
        }
        Matcher hostAndPort = authority == null ? null : AUTHORITY.matcher(authority);
        if (hostAndPort == null || !hostAndPort.matches() || !isHost(hostAndPort.group(1))
                || (hostAndPort.group(2) != null && !isPort(hostAndPort.group(2)))) {
            throw new IllegalArgumentException("target url '" + url + "' has no valid host and port: a name"
                    + " (letters, digits, '-', '_', '.'), an IPv4 address or an IPv6 address in brackets, then an"
                    + " optional :port");
        }
        String basePath = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        if (!basePath.isEmpty() && !basePath.equals(WireSyntax.path(basePath))) {
            throw new IllegalArgumentException("target url '" + url
                    + "' must have a plain base path: no dot segments, spaces or invalid percent-encoding");
        }
        boolean tls = scheme.equals("https");
        // Host names and IPv6 addresses are case-insensitive: written in lower case, as URL parsers do.
        String host = hostAndPort.group(1).toLowerCase(Locale.ROOT);
        int defaultPort = tls ? 443 : 80;
        int port = hostAndPort.group(2) == null ? defaultPort : Integer.parseInt(hostAndPort.group(2));
        String unbracketed = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new TargetAddress(tls, unbracketed, port, basePath, authority,
                port == defaultPort ? host : host + ":" + port);
    }

    /** A name whose labels are not empty (one trailing dot aside: an absolute name), or an IP literal. */
    private static boolean isHost(String host) {
        if (host.startsWith("[")) {
            return host.length() > 2 && host.indexOf(':') > 0;
        }
        String labels = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return !labels.isEmpty() && !labels.startsWith(".") && !labels.contains("..");
    }

    private static boolean isPort(String digits) {
        int port = Integer.parseInt(digits);
        return port > 0 && port <= 65535;
    }
}
