package dev.trafficmirror.bench.e2e;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The shadow of the end-to-end benchmark, in a JVM of its own, on Jetty's non-blocking core API so
 * that a slow or silent shadow costs it no thread per request:
 *
 * <pre>
 * ShadowServer &lt;port&gt; healthy      answers 200 at once
 * ShadowServer &lt;port&gt; slow         answers 200 after 1 s
 * ShadowServer &lt;port&gt; blackhole    accepts, reads, never answers, never closes
 * ShadowServer &lt;port&gt; healthy shadow.p12   the same over TLS, with this key (password "bench")
 * </pre>
 *
 * (A refusing shadow is no server at all.) The same shadow serves the trafficmirror and the nginx
 * runs, so that the two tables compare the mirrors, not the shadows.
 */
public final class ShadowServer {

    private ShadowServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            throw new IllegalArgumentException("usage: ShadowServer <port> <healthy|slow|blackhole> [keystore.p12]");
        }
        int port = Integer.parseInt(args[0]);
        String mode = args[1];
        if (!mode.equals("healthy") && !mode.equals("slow") && !mode.equals("blackhole")) {
            throw new IllegalArgumentException("mode must be healthy, slow or blackhole, was " + mode);
        }
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        ByteBuffer ok = ByteBuffer.wrap("{\"shadow\":\"ok\"}".getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();

        Server server = new Server();
        ServerConnector connector;
        if (args.length == 3) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(args[2]);
            tls.setKeyStoreType("PKCS12");
            tls.setKeyStorePassword("bench");
            connector = new ServerConnector(server, tls);
        } else {
            connector = new ServerConnector(server);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        // A black hole keeps what it accepted: only the client may give up on a connection.
        connector.setIdleTimeout(TimeUnit.HOURS.toMillis(1));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                switch (mode) {
                    case "healthy" -> answer(response, callback, ok);
                    case "slow" -> later.schedule(() -> answer(response, callback, ok), 1, TimeUnit.SECONDS);
                    default -> {
                        // never complete the callback
                    }
                }
                return true;
            }
        });
        server.start();
        System.out.println("shadow (" + mode + (args.length == 3 ? ", TLS" : "") + ") listening on 127.0.0.1:"
                + connector.getLocalPort());
        server.join();
    }

    private static void answer(Response response, Callback callback, ByteBuffer body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.write(true, body.slice(), callback);
    }
}
