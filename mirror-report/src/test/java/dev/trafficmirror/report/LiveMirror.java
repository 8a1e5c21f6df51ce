package dev.trafficmirror.report;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.servlet.MirrorFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real primary on Jetty with a MirrorFilter, mirroring to a real candidate ("v2", compared) and
 * a real control (the primary's answers again), both MockWebServers on loopback: the candidate
 * renames {@code text} to {@code body}, adds four fields and answers 500 for product 7; every answer
 * carries its own {@code servedAt}, the noise.
 */
final class LiveMirror implements AutoCloseable {

    /** A value only the primary's answers hold: it must never show unless values are shown. */
    static final String PRIMARY_VALUE = "primary-only-value-4711";

    private static final AtomicLong clock = new AtomicLong();

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final MockWebServer v2 = new MockWebServer();
    final MockWebServer control = new MockWebServer();
    final Mirror mirror;
    final Server primary;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LiveMirror() throws Exception {
        v2.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String product = product(request.getTarget());
                if (product.equals("7")) {
                    return new MockResponse.Builder().code(500).addHeader("Content-Type", "application/json")
                            .body("{\"error\":\"NullPointerException\"}").build();
                }
                return json("{\"product\":" + product + ",\"servedAt\":" + clock.incrementAndGet()
                        + ",\"body\":\"hello\",\"rating\":5,\"stars\":4,\"lang\":\"en\",\"tags\":[]}");
            }
        });
        control.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return json(answer(product(request.getTarget())));
            }
        });
        v2.start(InetAddress.getLoopbackAddress(), 0);
        control.start(InetAddress.getLoopbackAddress(), 0);
        mirror = Mirror.builder()
                .target(MirrorTarget.of("v2", "http://127.0.0.1:" + v2.getPort()).compare(true))
                .target(MirrorTarget.of("control", "http://127.0.0.1:" + control.getPort()).control(true))
                .meterRegistry(registry)
                .build();
        primary = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("application/json");
                response.getWriter().write(answer(product(request.getRequestURI())));
            }
        }), "/products/*");
        context.addFilter(new FilterHolder(new MirrorFilter(mirror)), "/products/*",
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        primary.setHandler(context);
        primary.start();
    }

    /** The primary's answer: {@code text}, a value of its own, and its {@code servedAt}. */
    static String answer(String product) {
        return "{\"product\":" + product + ",\"servedAt\":" + clock.incrementAndGet() + ",\"text\":\"" + PRIMARY_VALUE
                + "\"}";
    }

    int port() {
        return ((ServerConnector) primary.getConnectors()[0]).getLocalPort();
    }

    /** Asks the primary for products 1 to {@code count}, cycling through 1..10, one at a time. */
    void send(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port() + "/products/" + (i % 10 + 1))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the primary answered " + response.statusCode());
            }
        }
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static String product(String target) {
        return target.substring(target.lastIndexOf('/') + 1);
    }

    @Override
    public void close() throws Exception {
        primary.stop();
        mirror.close();
        v2.close();
        control.close();
    }
}
