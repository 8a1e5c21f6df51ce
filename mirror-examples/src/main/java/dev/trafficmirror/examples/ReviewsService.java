package dev.trafficmirror.examples;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The reviews service of the demo, in two versions. v1 answers every product's reviews; v2 is the
 * new version under test: it adds a {@code rating} field, renames {@code text} to {@code body},
 * and fails with 500 for products whose id is a multiple of 7 (the regression mirroring should
 * reveal before release).
 */
final class ReviewsService implements AutoCloseable {

    private final String version;
    private final Server server;
    private final ServerConnector connector;
    private final Map<Integer, AtomicLong> statuses = new ConcurrentSkipListMap<>();
    private final Map<String, AtomicLong> latencyMicros = new ConcurrentHashMap<>();

    private ReviewsService(String version, Filter filter, Consumer<String> log) throws Exception {
        this.version = version;
        this.server = new Server();
        this.connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new ReviewsServlet(log)), "/*");
        if (filter != null) {
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        }
        server.setHandler(context);
        server.start();
    }

    /** Starts a version on a free loopback port; a non-null filter runs in front of it. */
    static ReviewsService start(String version, Filter filter, Consumer<String> log) throws Exception {
        return new ReviewsService(version, filter, log);
    }

    String url() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** Responses by status code, in code order. */
    Map<Integer, AtomicLong> statuses() {
        return statuses;
    }

    long totalMicros() {
        return latencyMicros.computeIfAbsent("total", k -> new AtomicLong()).get();
    }

    long requests() {
        return statuses.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private final class ReviewsServlet extends HttpServlet {
        private final Consumer<String> log;

        ReviewsServlet(Consumer<String> log) {
            this.log = log;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            long start = System.nanoTime();
            int productId = productId(request.getRequestURI());
            int status;
            String json;
            if (productId < 0) {
                status = 404;
                json = "{\"error\":\"no such product\"}";
            } else if (version.equals("v2") && productId % 7 == 0) {
                status = 500;
                json = "{\"error\":\"NullPointerException in RatingsClient\"}";
            } else {
                status = 200;
                json = version.equals("v1")
                        ? "{\"productId\":" + productId + ",\"reviews\":[{\"reviewer\":\"Reviewer1\",\"text\":\"An extremely entertaining play by Shakespeare.\"}]}"
                        : "{\"productId\":" + productId + ",\"reviews\":[{\"reviewer\":\"Reviewer1\",\"body\":\"An extremely entertaining play by Shakespeare.\",\"rating\":{\"stars\":5,\"color\":\"black\"}}]}";
            }
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setContentType("application/json");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
            statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
            latencyMicros.computeIfAbsent("total", k -> new AtomicLong()).addAndGet((System.nanoTime() - start) / 1000);
            String id = request.getHeader("X-Mirror-Id") != null ? request.getHeader("X-Mirror-Id") : request.getHeader("X-Request-Id");
            log.accept(String.format("%s %s -> %d  id=%s%s", request.getMethod(), request.getRequestURI(), status, id,
                    request.getHeader("X-Mirror-Id") != null ? " (mirrored copy)" : ""));
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
