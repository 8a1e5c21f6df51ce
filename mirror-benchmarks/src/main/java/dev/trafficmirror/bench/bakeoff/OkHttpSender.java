package dev.trafficmirror.bench.bakeoff;

import dev.trafficmirror.bench.tls.Tls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;

/**
 * OkHttp 5's {@code enqueue}, HTTP/1.1: its dispatcher runs at most 16 calls at once, each on a
 * thread of its own that does blocking I/O (OkHttp has no non-blocking transport), so this is 16
 * threads, not an event loop. Its ready queue has no bound of its own, so {@link Tally} bounds it.
 * Settings as trafficmirror's own OkHttp for https targets.
 */
final class OkHttpSender implements CopySender {

    private final OkHttpClient client;
    private final HttpUrl base;
    private final Tally tally = new Tally();
    private final Callback callback = new Callback() {
        @Override
        public void onResponse(Call call, Response response) {
            try (ResponseBody body = response.body()) {
                BufferedSource source = body.source();
                // Buffers up to the limit, or the whole body when shorter: that is the capture (OkHttp
                // copies it out once, as Capture does for the others); the rest is read and dropped.
                source.request(CAPTURE_LIMIT);
                Buffer buffered = source.getBuffer();
                byte[] captured = buffered.readByteArray(Math.min(buffered.size(), CAPTURE_LIMIT));
                source.readAll(Okio.blackhole());
                tally.completed();
            } catch (IOException | RuntimeException e) {
                tally.failed(e);
            }
        }

        @Override
        public void onFailure(Call call, IOException failure) {
            tally.failed(failure);
        }
    };

    OkHttpSender(String base, Path caPem) throws Exception {
        this.base = HttpUrl.get(base);
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(MAX_IN_FLIGHT);
        dispatcher.setMaxRequestsPerHost(MAX_IN_FLIGHT);
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(MAX_IN_FLIGHT, 5, TimeUnit.MINUTES))
                .protocols(List.of(Protocol.HTTP_1_1))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .fastFallback(false)
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(5))
                .writeTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(5));
        if (this.base.isHttps()) {
            // OkHttp's own hostname verifier stays in place: verification on.
            X509TrustManager trust = Tls.trustManager(caPem);
            builder.sslSocketFactory(Tls.context(trust).getSocketFactory(), trust);
        }
        client = builder.build();
    }

    @Override
    public void send(Copy copy) {
        if (!tally.admit()) {
            return;
        }
        try {
            Request.Builder request = new Request.Builder()
                    .url(base.newBuilder().encodedPath(copy.path()).encodedQuery(copy.query()).build())
                    .method(copy.method(), null);
            for (Map.Entry<String, String> header : copy.wireHeaders()) {
                request.addHeader(header.getKey(), header.getValue());
            }
            client.newCall(request.build()).enqueue(callback);
        } catch (RuntimeException e) {
            tally.failed(e);
        }
    }

    @Override
    public Counts counts() {
        return tally.counts();
    }

    @Override
    public void close() {
        client.dispatcher().cancelAll();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
