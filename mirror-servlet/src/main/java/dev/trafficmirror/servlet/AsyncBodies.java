package dev.trafficmirror.servlet;

import jakarta.servlet.ServletRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bodies of one filter's requests that are asynchronous right now, so that an ASYNC dispatch,
 * which the container makes with its own unwrapped request, is teed again into the same body.
 *
 * <p>Keyed by {@link ServletRequest#getRequestId()} (unique for the container's lifetime) rather
 * than by a request attribute, which the application could see, or by the request object, which
 * containers recycle. An entry lives from the first {@code startAsync} to {@code onComplete}.
 */
final class AsyncBodies {

    private final Map<String, TeedBody> bodies = new ConcurrentHashMap<>();

    void register(ServletRequest request, TeedBody body) {
        String id = request.getRequestId();
        if (id != null && !id.isEmpty()) {
            bodies.put(id, body);
        }
    }

    /** The body of an asynchronous request this filter is mirroring, or {@code null}. */
    TeedBody find(ServletRequest request) {
        if (bodies.isEmpty()) {
            return null;
        }
        String id = request.getRequestId();
        return id == null ? null : bodies.get(id);
    }

    void remove(ServletRequest request, TeedBody body) {
        String id = request.getRequestId();
        if (id != null) {
            bodies.remove(id, body);
        }
    }

    int size() {
        return bodies.size();
    }
}
