package dev.trafficmirror.bench.e2e;

import dev.trafficmirror.bench.tls.Tls;
import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.TargetStats;
import dev.trafficmirror.core.TargetTls;
import dev.trafficmirror.servlet.MirrorFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The primary of the end-to-end benchmark, in a JVM of its own: a small JSON handler on embedded
 * Jetty 12, with or without {@link MirrorFilter} in front of it.
 *
 * <pre>
 * PrimaryServer &lt;port&gt; none                       no filter
 * PrimaryServer &lt;port&gt; http://127.0.0.1:18182      mirror 100% of requests there, default settings
 * PrimaryServer &lt;port&gt; http://... no-breaker       the same without the circuit breaker
 * PrimaryServer &lt;port&gt; http://... max-concurrent=4 at most 4 copies in flight instead of 16
 * PrimaryServer &lt;port&gt; http://... percentage=10   mirror 10% of requests instead of all
 * PrimaryServer &lt;port&gt; http://... compare         compare the shadow's answers with the primary's
 * PrimaryServer &lt;port&gt; https://... ca=ca.pem      trust only this CA for the https shadow
 * PrimaryServer &lt;port&gt; file:/dir/records.jsonl    record every exchange to this file instead
 * PrimaryServer &lt;port&gt; kafka://127.0.0.1:18192/traffic   record to this Kafka topic (mirror-kafka)
 * </pre>
 *
 * On exit (SIGTERM) it closes the mirror and prints one {@code MIRROR_STATS} line with the
 * {@code mirror.requests} counters, for the benchmark's report.
 */
public final class PrimaryServer {

    /** The line prefix {@link LoadBenchmark} looks for in this process's output. */
    static final String STATS = "MIRROR_STATS";

    private PrimaryServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException(
                    "usage: PrimaryServer <port> <shadow url | none> [no-breaker] [max-concurrent=N] [percentage=P]"
                            + " [compare] [ca=<pem>]");
        }
        int port = Integer.parseInt(args[0]);
        String shadow = args[1];
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Mirror mirror = null;
        if (!shadow.equals("none")) {
            MirrorTarget.Builder target = MirrorTarget.of("shadow", shadow).newBuilder();
            Mirror.Builder builder = Mirror.builder().percentage(100).meterRegistry(registry);
            for (int i = 2; i < args.length; i++) {
                if (args[i].equals("compare")) {
                    target.compare(true);
                } else if (args[i].startsWith("ca=")) {
                    SSLContext trust = Tls.context(Path.of(args[i].substring("ca=".length())));
                    target.tls(() -> TargetTls.of(trust));
                } else if (args[i].equals("no-breaker")) {
                    builder.noCircuitBreaker();
                } else if (args[i].startsWith("percentage=")) {
                    builder.percentage(Double.parseDouble(args[i].substring("percentage=".length())));
                } else if (args[i].startsWith("max-concurrent=")) {
                    builder.maxConcurrent(Integer.parseInt(args[i].substring("max-concurrent=".length())));
                } else {
                    throw new IllegalArgumentException("unknown option " + args[i]
                            + "; accepted: no-breaker, max-concurrent=N, percentage=P, compare, ca=<pem>");
                }
            }
            mirror = builder.target(target.build()).build();
        }

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new JsonServlet()), "/*");
        if (mirror != null) {
            FilterHolder filter = new FilterHolder(new MirrorFilter(mirror));
            filter.setAsyncSupported(true);
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        }
        server.setHandler(context);
        server.setStopAtShutdown(false);
        server.start();

        Mirror started = mirror;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("stopping Jetty failed: " + e);
            }
            if (started != null) {
                started.close(Duration.ofSeconds(1));
            }
            System.out.println(STATS + " " + (started == null ? "" : stats(started)));
            System.out.flush();
        }, "primary-shutdown"));
        System.out.println("primary listening on 127.0.0.1:" + connector.getLocalPort()
                + (mirror == null ? ", no mirror" : ", mirroring to " + shadow));
        server.join();
    }

    /**
     * {@code outcome/reason=count} for every non-zero count of the mirror's one target, as
     * {@code mirror.requests} counted them (read from the mirror: close() removed its meters).
     */
    private static String stats(Mirror mirror) {
        StringBuilder line = new StringBuilder();
        TargetStats stats = mirror.stats().get(0);
        new TreeMap<>(stats.counts()).forEach((reason, count) -> {
            if (count > 0) {
                line.append(reason.outcome().tag()).append('/').append(reason.tag()).append('=').append(count).append(' ');
            }
        });
        stats.recentFailures().stream().findFirst().ifPresent(failure -> line.append("(latest failure: ")
                .append(failure.reason().tag()).append(' ').append(failure.detail()).append(')'));
        return line.toString().trim();
    }

    /** Answers every request with a small JSON document, as an API would. */
    static final class JsonServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final AtomicLong served = new AtomicLong();

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] json = ("{\"id\":" + served.incrementAndGet() + ",\"path\":\"" + request.getRequestURI()
                    + "\",\"product\":\"The Comedy of Errors\",\"reviews\":[{\"reviewer\":\"Reviewer1\",\"stars\":5},"
                    + "{\"reviewer\":\"Reviewer2\",\"stars\":4}]}").getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.setContentType("application/json");
            response.setContentLength(json.length);
            response.getOutputStream().write(json);
        }
    }
}
