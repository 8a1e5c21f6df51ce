package dev.trafficmirror.bench.bakeoff;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The bake-off's primary, in a JVM of its own: the end-to-end benchmark's small JSON servlet on
 * embedded Jetty 12, which, once it has answered, hands every {@code every}-th request (an exact
 * counter) to one {@link CopySender}. No filter: what differs between runs is the send path only.
 *
 * <pre>
 * BakeoffPrimary &lt;port&gt; none                                         no copies
 * BakeoffPrimary &lt;port&gt; &lt;client&gt; &lt;shadow base url&gt; &lt;every&gt; &lt;ca.pem&gt;   e.g. jetty https://127.0.0.1:18383 10 ca.pem
 * </pre>
 *
 * {@value #STATS_PATH} answers one line of counts, not counted as a request; on exit (SIGTERM) the
 * same line is printed after {@value #FINAL}.
 */
public final class BakeoffPrimary {

    static final String STATS_PATH = "/__bakeoff/stats";
    static final String FINAL = "BAKEOFF_FINAL";

    private BakeoffPrimary() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 && args.length != 5) {
            throw new IllegalArgumentException("usage: BakeoffPrimary <port> none | <port> <client> <shadow url> <every> <ca.pem>");
        }
        int port = Integer.parseInt(args[0]);
        CopySender sender = args[1].equals("none") ? null : CopySender.of(args[1], args[2], Path.of(args[4]));
        CopyServlet servlet = new CopyServlet(sender, sender == null ? 1 : Integer.parseInt(args[3]));

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(servlet), "/*");
        server.setHandler(context);
        server.setStopAtShutdown(false);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("stopping Jetty failed: " + e);
            }
            if (sender != null) {
                sender.close();
            }
            System.out.println(FINAL + " " + servlet.stats());
            System.out.flush();
        }, "primary-shutdown"));
        System.out.println("primary listening on 127.0.0.1:" + connector.getLocalPort()
                + (sender == null ? ", no copies" : ", " + args[1] + " copies every " + args[3] + ". request to " + args[2]));
        server.join();
    }

    /** Answers a small JSON document, as an API would; then hands the sampled request to the sender. */
    static final class CopyServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient CopySender sender;
        private final int every;
        private final AtomicLong served = new AtomicLong();
        private final AtomicLong sampled = new AtomicLong();

        CopyServlet(CopySender sender, int every) {
            this.sender = sender;
            this.every = every;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getRequestURI().equals(STATS_PATH)) {
                response.setContentType("text/plain");
                response.getOutputStream().write(stats().getBytes(StandardCharsets.UTF_8));
                return;
            }
            long id = served.incrementAndGet();
            byte[] json = ("{\"id\":" + id + ",\"path\":\"" + request.getRequestURI()
                    + "\",\"product\":\"The Comedy of Errors\",\"reviews\":[{\"reviewer\":\"Reviewer1\",\"stars\":5},"
                    + "{\"reviewer\":\"Reviewer2\",\"stars\":4}]}").getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.setContentType("application/json");
            response.setContentLength(json.length);
            // The whole declared length written: Jetty completes the answer here, before the copy is made.
            response.getOutputStream().write(json);
            if (sender != null && id % every == 0) {
                sampled.incrementAndGet();
                sender.send(copyOf(request));
            }
        }

        private static Copy copyOf(HttpServletRequest request) {
            List<Map.Entry<String, String>> headers = new ArrayList<>(8);
            for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
                String name = names.nextElement();
                for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                    headers.add(Map.entry(name, values.nextElement()));
                }
            }
            return new Copy(request.getMethod(), request.getRequestURI(), request.getQueryString(), headers,
                    request.getScheme(), request.getRemoteAddr());
        }

        /** {@code served=.. sampled=.. completed=.. failed=.. dropped=.. outstanding=.. failure=..}, one line. */
        String stats() {
            CopySender.Counts counts = sender == null ? new CopySender.Counts(0, 0, 0, 0, "") : sender.counts();
            return "served=" + served.get() + " sampled=" + sampled.get() + " completed=" + counts.completed()
                    + " failed=" + counts.failed() + " dropped=" + counts.dropped() + " outstanding="
                    + counts.outstanding() + " failure=" + counts.failure().replaceAll("\\s+", " ");
        }
    }
}
