package dev.trafficmirror.bench.bakeoff;

import dev.trafficmirror.bench.tls.Tls;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12's {@code HttpClient}, HTTP/1.1, asynchronous {@code send(listener)}: one selector thread
 * and its own thread pool. Its per-destination limits are the bound: 16 connections, 1000 queued
 * (beyond, it rejects the request at once, counted as dropped).
 */
final class JettySender implements CopySender {

    private final HttpClient client;
    private final String scheme;
    private final String host;
    private final int port;
    private final Tally tally = new Tally();

    JettySender(String base, Path caPem) throws Exception {
        URI uri = URI.create(base);
        this.scheme = uri.getScheme();
        this.host = uri.getHost();
        this.port = uri.getPort();
        ClientConnector connector = new ClientConnector();
        if (scheme.equals("https")) {
            // The client factory identifies the endpoint ("HTTPS") by default: hostname verification on.
            SslContextFactory.Client tls = new SslContextFactory.Client();
            tls.setSslContext(Tls.context(caPem));
            connector.setSslContextFactory(tls);
        }
        client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setMaxConnectionsPerDestination(MAX_IN_FLIGHT);
        client.setMaxRequestsQueuedPerDestination(MAX_QUEUED);
        client.setConnectTimeout(1000);
        client.setFollowRedirects(false);
        // A copy carries the client's headers, not Jetty's, and keeps no cookies between copies.
        client.setUserAgentField(null);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.start();
        // Added by start(); without them Jetty sends no Accept-Encoding of its own.
        client.getContentDecoderFactories().clear();
    }

    @Override
    public void send(Copy copy) {
        if (!tally.admit()) {
            return;
        }
        try {
            client.newRequest(host, port).scheme(scheme).method(copy.method()).path(copy.pathAndQuery())
                    .timeout(5, TimeUnit.SECONDS)
                    .headers(headers -> {
                        for (Map.Entry<String, String> header : copy.wireHeaders()) {
                            headers.add(header.getKey(), header.getValue());
                        }
                    })
                    .send(new Listener());
        } catch (RuntimeException e) {
            tally.failed(e);
        }
    }

    /** Keeps the first 64 KiB of the answer; Jetty reads the rest and hands it here to drop. */
    private final class Listener implements Response.Listener {
        private final Capture capture = new Capture();

        @Override
        public void onContent(Response response, ByteBuffer content) {
            capture.add(content);
        }

        @Override
        public void onComplete(Result result) {
            if (result.isSucceeded()) {
                tally.completed();
            } else if (result.getFailure() instanceof RejectedExecutionException) {
                tally.refused();
            } else {
                tally.failed(result.getFailure());
            }
        }
    }

    @Override
    public Counts counts() {
        return tally.counts();
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            System.err.println("stopping Jetty's client failed: " + e);
        }
    }
}
