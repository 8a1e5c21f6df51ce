package dev.trafficmirror.core;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@code https} target's own TLS settings: the {@link SSLContext} whose trust material checks
 * the target's certificate (and whose key material, for mutual TLS, is the client certificate it
 * is shown), and, when not empty, the protocols and cipher suites a connection may use instead of
 * the context's defaults. The target's host name is verified whatever the settings.
 *
 * <p>Fails closed: a protocol or cipher suite the context does not support is refused here, rather
 * than left to fail every connection, or to be quietly left out.
 *
 * @param context the context each connection's engine comes from
 * @param protocols the protocols a connection may use (e.g. {@code TLSv1.3}); empty for the context's defaults
 * @param cipherSuites the cipher suites a connection may use, in the order preferred; empty for the context's
 *     defaults
 */
public record TargetTls(SSLContext context, List<String> protocols, List<String> cipherSuites) {

    /**
     * @throws IllegalArgumentException if the context supports one of the protocols or cipher suites not
     */
    public TargetTls {
        Objects.requireNonNull(context, "context");
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        SSLParameters supported = context.getSupportedSSLParameters();
        supports("protocol", protocols, supported.getProtocols());
        supports("cipher suite", cipherSuites, supported.getCipherSuites());
    }

    /** The context, with its default protocols and cipher suites. */
    public static TargetTls of(SSLContext context) {
        return new TargetTls(context, List.of(), List.of());
    }

    private static void supports(String what, List<String> wanted, String[] supported) {
        List<String> known = Arrays.asList(supported);
        for (String each : wanted) {
            if (!known.contains(each)) {
                throw new IllegalArgumentException("TLS " + what + " '" + each + "' is not supported here; supported are "
                        + String.join(", ", known));
            }
        }
    }
}
