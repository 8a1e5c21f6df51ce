package dev.trafficmirror.examples;

import dev.trafficmirror.core.Conditions;
import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.report.MirrorReport;
import dev.trafficmirror.report.MirrorReportServlet;
import dev.trafficmirror.servlet.MirrorFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The smallest complete setup on a plain servlet container, with the programmatic API only: an
 * application on embedded Jetty 12 whose requests are mirrored to a shadow. Copy it and put your
 * own servlets in place of {@link ReviewsServlet}. The mirror's report is served at
 * {@code /admin/mirror}, which the mirror leaves out (put it where only operators reach it).
 *
 * <pre>
 * java ... dev.trafficmirror.examples.PlainServletExample 9080 http://127.0.0.1:9081
 * </pre>
 */
public final class PlainServletExample implements AutoCloseable {

    private final Mirror mirror;
    private final MirrorReport report;
    private final Server server;

    private PlainServletExample(Mirror mirror, MirrorReport report, Server server) {
        this.mirror = mirror;
        this.report = report;
        this.server = server;
    }

    /**
     * Starts the application on {@code port} (0 for any free one), mirroring every request to
     * {@code shadowUrl}.
     */
    public static PlainServletExample start(int port, String shadowUrl, MeterRegistry registry) throws Exception {
        // 1. The mirror: where the copies go, how many, and where its metrics go.
        Mirror mirror = Mirror.builder()
                .target(MirrorTarget.of("reviews-v2", shadowUrl))
                .percentage(100)
                .maxBodySize(1 << 20)
                .meterRegistry(registry)
                .condition(Conditions.requestTo("/admin/**").negate()) // operators' requests stay here
                .build();
        MirrorReport report = MirrorReport.builder(mirror).meterRegistry(registry).title("reviews").build();

        // 2. The application, with the MirrorFilter first in the chain, for REQUEST and ASYNC dispatches.
        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(new FilterHolder(new MirrorFilter(mirror)), "/*",
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        context.addServlet(new ServletHolder(new ReviewsServlet()), "/reviews/*");
        context.addServlet(new ServletHolder(new MirrorReportServlet(report)), "/admin/mirror");

        // Loopback only, as an example should; a real service listens where its users are.
        Server server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            report.close();
            mirror.close();
            throw e;
        }
        return new PlainServletExample(mirror, report, server);
    }

    /** The application's base URL, e.g. {@code http://127.0.0.1:9080}. */
    public String url() {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** 3. On shutdown: stop taking requests, then let in-flight copies finish (up to 5 s by default). */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            report.close();
            mirror.close();
        }
    }

    /**
     * Runs until stopped.
     *
     * @param args the port (default 9080) and the shadow's URL (default http://127.0.0.1:9081)
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9080;
        String shadow = args.length > 1 ? args[1] : "http://127.0.0.1:9081";
        PlainServletExample app = start(port, shadow, Metrics.globalRegistry);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println("Listening on " + app.url() + ", mirroring to " + shadow);
        app.server.join();
    }

    /** A stand-in for your application: {@code POST /reviews/{id}} stores a review, GET lists them. */
    static final class ReviewsServlet extends HttpServlet {
        private final transient List<String> reviews = new CopyOnWriteArrayList<>();

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String review = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            reviews.add(request.getPathInfo() + " " + review);
            response.setStatus(201);
            response.setContentType("text/plain");
            response.getWriter().print("stored " + review);
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print(String.join("\n", reviews));
        }
    }
}
