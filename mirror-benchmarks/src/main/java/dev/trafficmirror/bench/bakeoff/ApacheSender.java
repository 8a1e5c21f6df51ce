package dev.trafficmirror.bench.bakeoff;

import dev.trafficmirror.bench.tls.Tls;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * Apache HttpClient 5's {@code CloseableHttpAsyncClient}, HTTP/1.1, with a callback: its I/O
 * reactor (one dispatch thread per core, two here) and a pool of 16 connections. The pool's wait
 * queue has no bound of its own, so {@link Tally} bounds it.
 *
 * <p>No setting covers the whole exchange: the 5 s are the response timeout (no byte for 5 s once
 * the request is written) and the socket timeout, which bound a stalled copy but not a dribbling one.
 */
final class ApacheSender implements CopySender {

    private final CloseableHttpAsyncClient client;
    private final HttpHost target;
    private final Tally tally = new Tally();
    private final FutureCallback<Integer> callback = new FutureCallback<>() {
        @Override
        public void completed(Integer status) {
            tally.completed();
        }

        @Override
        public void failed(Exception failure) {
            tally.failed(failure);
        }

        @Override
        public void cancelled() {
            tally.failed(new java.util.concurrent.CancellationException("cancelled"));
        }
    };

    ApacheSender(String base, Path caPem) throws Exception {
        this.target = HttpHost.create(base);
        PoolingAsyncClientConnectionManagerBuilder connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(MAX_IN_FLIGHT)
                .setMaxConnPerRoute(MAX_IN_FLIGHT)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(1))
                        .setSocketTimeout(Timeout.ofSeconds(5))
                        .build())
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build());
        if (target.getSchemeName().equals("https")) {
            // BOTH, not the default BUILTIN: 5.5.2's async TLS upgrade sets the endpoint identification
            // on the engine's SSLParameters after applying them, so BUILTIN verifies nothing (a
            // certificate for another host was accepted). BOTH adds HttpClient's own check after the handshake.
            connections.setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(Tls.context(caPem))
                    .setHostVerificationPolicy(HostnameVerificationPolicy.BOTH).buildAsync());
        }
        client = HttpAsyncClients.custom()
                .setConnectionManager(connections.build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(5)).build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
        client.start();
    }

    @Override
    public void send(Copy copy) {
        if (!tally.admit()) {
            return;
        }
        try {
            SimpleHttpRequest request = SimpleHttpRequest.create(Method.normalizedValueOf(copy.method()), target,
                    copy.pathAndQuery());
            for (Map.Entry<String, String> header : copy.wireHeaders()) {
                request.addHeader(header.getKey(), header.getValue());
            }
            client.execute(SimpleRequestProducer.create(request), new CapturingConsumer(), callback);
        } catch (RuntimeException e) {
            tally.failed(e);
        }
    }

    /** Keeps the first 64 KiB of the answer and reads the rest to drop it; the result is the status. */
    private static final class CapturingConsumer extends AbstractBinResponseConsumer<Integer> {
        private final Capture capture = new Capture();
        private int status;

        @Override
        protected void start(HttpResponse response, ContentType contentType) {
            status = response.getCode();
        }

        @Override
        protected Integer buildResult() {
            return status;
        }

        @Override
        protected int capacityIncrement() {
            return CAPTURE_LIMIT;
        }

        @Override
        protected void data(ByteBuffer data, boolean endOfStream) {
            capture.add(data);
        }

        @Override
        public void releaseResources() {
        }
    }

    @Override
    public Counts counts() {
        return tally.counts();
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }
}
