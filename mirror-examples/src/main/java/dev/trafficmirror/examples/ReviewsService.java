package dev.trafficmirror.examples;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The reviews service of the demo, in two versions, on embedded Jetty on a free loopback port.
 *
 * <p>v1 answers every product's reviews. v2 is the new version under test, as in Istio's Bookinfo:
 * it looks up star ratings (a few milliseconds), adds a {@code rating} field and renames
 * {@code text} to {@code body}; and it has the regression mirroring should reveal before release:
 * it fails with 500 for products whose id is a multiple of 7. Both versions stamp each answer with
 * the instant it was served ({@code servedAt}), as real services do with timestamps and ids: a
 * field that differs between any two answers, even of the same version, so comparing answers needs
 * the control to tell it from a real difference.
 */
final class ReviewsService implements AutoCloseable {

    /** The two versions of the service. */
    enum Version {
        V1("reviews-v1"), V2("reviews-v2");

        private final String serviceName;

        Version(String serviceName) {
            this.serviceName = serviceName;
        }

        String serviceName() {
            return serviceName;
        }
    }

    static final String RATINGS_ERROR = "NullPointerException in RatingsClient";

    private final Server server;
    private final ServerConnector connector;

    private ReviewsService(Version version, String name, Filter filter, Consumer<AccessLogEntry> accessLog)
            throws Exception {
        this.server = new Server();
        this.connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new ReviewsServlet(version, name, accessLog)), "/*");
        if (filter != null) {
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        }
        server.setHandler(context);
        server.start();
    }

    /**
     * Starts an instance of a version on a free loopback port.
     *
     * @param name the instance's name in its access log: the version's service name, or another
     *     for a second instance of the same version (the control)
     * @param filter runs in front of the service when not {@code null} (v1's mirror)
     * @param accessLog receives every answered request, on the request thread
     */
    static ReviewsService start(Version version, String name, Filter filter, Consumer<AccessLogEntry> accessLog)
            throws Exception {
        return new ReviewsService(version, name, filter, accessLog);
    }

    String url() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class ReviewsServlet extends HttpServlet {
        private final Version version;
        private final String name;
        private final transient Consumer<AccessLogEntry> accessLog;

        ReviewsServlet(Version version, String name, Consumer<AccessLogEntry> accessLog) {
            this.version = version;
            this.name = name;
            this.accessLog = accessLog;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            long start = System.nanoTime();
            String mirrorId = request.getHeader("X-Mirror-Id");
            String requestId = request.getHeader("X-Request-Id");
            String id = mirrorId != null ? mirrorId : requestId != null ? requestId : "-";
            int productId = productId(request.getRequestURI());
            int status = 200;
            String error = null;
            String json;
            if (productId < 0) {
                status = 404;
                error = "no such product";
                json = "{\"error\":\"" + error + "\"}";
            } else if (version == Version.V1) {
                json = "{\"productId\":" + productId + ",\"reviews\":[{\"reviewer\":\"Reviewer1\","
                        + "\"text\":\"An extremely entertaining play by Shakespeare.\"}],"
                        + "\"servedAt\":\"" + Instant.now() + "\"}";
            } else {
                lookUpRatings(id);
                if (productId % 7 == 0) {
                    status = 500;
                    error = RATINGS_ERROR;
                    json = "{\"error\":\"" + error + "\"}";
                } else {
                    json = "{\"productId\":" + productId + ",\"reviews\":[{\"reviewer\":\"Reviewer1\","
                            + "\"body\":\"An extremely entertaining play by Shakespeare.\","
                            + "\"rating\":{\"stars\":5,\"color\":\"black\"}}],"
                            + "\"servedAt\":\"" + Instant.now() + "\"}";
                }
            }
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setContentType("application/json");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
            long end = System.nanoTime();
            accessLog.accept(new AccessLogEntry(name, end, request.getMethod(), request.getRequestURI(),
                    status, end - start, id, mirrorId != null, error));
        }

        /** v2 calls the ratings service: 2 to 6 ms, varying from request to request. */
        private static void lookUpRatings(String id) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 + Math.floorMod(id.hashCode() * 31, 5));
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }

        private static int productId(String path) {
            String prefix = "/reviews/";
            if (!path.startsWith(prefix)) {
                return -1;
            }
            try {
                return Integer.parseInt(path.substring(prefix.length()));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
