package dev.trafficmirror.servlet;

import dev.trafficmirror.core.MirrorRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/** Snapshots what a mirror needs of a request's head, on the request thread. */
final class RequestHeads {

    private RequestHeads() {
    }

    static MirrorRequest of(HttpServletRequest request) {
        MirrorRequest.Builder head = MirrorRequest.builder(request.getMethod(), request.getRequestURI())
                .query(request.getQueryString())
                .scheme(request.getScheme())
                .remoteAddress(request.getRemoteAddr())
                .contextPath(request.getContextPath());
        boolean hasHost = false;
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            hasHost |= name.equalsIgnoreCase("Host");
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                head.header(name, values.nextElement());
            }
        }
        if (!hasHost && request.getProtocol() != null && request.getProtocol().startsWith("HTTP/2")) {
            // HTTP/2 names the host in the :authority pseudo-header, which containers do not list
            // among the headers: the copy, an HTTP/1.1 request, carries it as the Host it stands for.
            head.header("Host", authority(request));
        }
        return head.build();
    }

    /** The request's authority as the container read it: host, and port unless the scheme's default. */
    private static String authority(HttpServletRequest request) {
        String host = request.getServerName();
        int port = request.getServerPort();
        boolean defaultPort = port <= 0 || port == 80 && "http".equalsIgnoreCase(request.getScheme())
                || port == 443 && "https".equalsIgnoreCase(request.getScheme());
        return defaultPort ? host : host + ":" + port;
    }
}
