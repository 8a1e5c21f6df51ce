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
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                head.header(name, values.nextElement());
            }
        }
        return head.build();
    }
}
