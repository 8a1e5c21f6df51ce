package dev.trafficmirror.core.http;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.core.MirrorSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;

/**
 * Replays copies over HTTP with a client of its own: no retries (a retried write would hit the
 * shadow twice), no redirects (the copy goes to the target and nowhere else), explicit timeouts
 * covering the whole exchange, and every response closed after its first bytes are captured (a
 * longer response costs its connection, not its length). {@link #close} cancels every call still
 * running, so that no sender waits out its timeout after the drain deadline.
 */
public final class HttpShadowSink implements MirrorSink {

    /** Methods OkHttp refuses to send without a body. */
    private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH", "PROPPATCH", "REPORT", "QUERY");

    private final OkHttpClient client;
    private final int captureLimit;
    private final Map<String, HttpUrl> baseUrls = new ConcurrentHashMap<>();
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public HttpShadowSink(Duration connectTimeout, Duration timeout, int maxIdleConnections, int captureLimit) {
        this.captureLimit = captureLimit;
        this.client = new OkHttpClient.Builder()
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                // Connect on the sender's own thread: fast fallback races addresses on OkHttp's shared
                // task threads, one more thread per concurrent connect, for no gain with one shadow.
                .fastFallback(false)
                .connectTimeout(connectTimeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout)
                .connectionPool(new ConnectionPool(Math.max(1, maxIdleConnections), 1, TimeUnit.MINUTES))
                .addNetworkInterceptor(HttpShadowSink::withoutClientDefaults)
                .build();
    }

    @Override
    public ShadowResponse send(MirrorTarget target, MirrorRequest request) throws IOException {
        if (closed) {
            throw new IOException("mirror closed");
        }
        Call call = client.newCall(new Request.Builder()
                .url(url(target, request))
                .headers(headers(request))
                .method(request.method(), body(request))
                .tag(MirrorRequest.class, request)
                .build());
        calls.add(call);
        try {
            if (closed) {
                // close() ran after the check above but may have missed this call: cancel it here.
                call.cancel();
            }
            try (Response response = call.execute()) {
                return capture(call, response);
            }
        } finally {
            calls.remove(call);
        }
    }

    /**
     * The copy's URL: the target's scheme, host and port, its base path followed by the request's
     * path, and the request's query, all exactly as given. OkHttp resolves dot segments and
     * re-encodes some characters when building a URL; if it changed anything, the copy would not
     * be the request (or could leave the base path), so it is refused instead.
     *
     * @throws IllegalArgumentException when the path or query cannot be sent unchanged ({@code invalid_request})
     */
    static HttpUrl url(HttpUrl base, MirrorRequest request) {
        String path = checkedPath(base.encodedPath(), request);
        String query = request.query();
        HttpUrl url = base.newBuilder().encodedPath(path).encodedQuery(query).build();
        if (!url.encodedPath().equals(path) || !Objects.equals(url.encodedQuery(), query)) {
            throw new IllegalArgumentException("the request's path or query would not be sent unchanged");
        }
        return url;
    }

    /**
     * The copy's path on the wire: the target's base path followed by the request's path, once both
     * path and query are known to be spelled exactly as they should go out (no dot segment in any
     * spelling, nothing to re-encode), so that the copy cannot leave the base path.
     *
     * @throws IllegalArgumentException when the path or query cannot be sent unchanged ({@code invalid_request})
     */
    static String checkedPath(String basePath, MirrorRequest request) {
        String query = request.query();
        if (!request.path().equals(WireSyntax.path(request.path()))
                || (query != null && !query.equals(WireSyntax.query(query)))) {
            throw new IllegalArgumentException("the request's path or query cannot be reproduced safely");
        }
        return basePath.equals("/") ? request.path() : basePath + request.path();
    }

    private HttpUrl url(MirrorTarget target, MirrorRequest request) {
        return url(baseUrls.computeIfAbsent(target.url(), HttpUrl::get), request);
    }

    /**
     * The copy's headers for OkHttp, which writes values as UTF-8 and, through
     * {@code addUnsafeNonAscii}, does not check them: a line break in a value would inject headers
     * into the copy, so such a copy is refused here too, whatever let it through.
     *
     * @throws IllegalArgumentException for a header that cannot be sent as received ({@code invalid_request})
     */
    private static Headers headers(MirrorRequest request) {
        Headers.Builder headers = new Headers.Builder();
        for (Map.Entry<String, String> header : request.headers()) {
            if (!WireSyntax.isToken(header.getKey()) || !WireSyntax.isFieldValue(header.getValue())) {
                throw new IllegalArgumentException("a header of the copy is malformed or holds a line break");
            }
            headers.addUnsafeNonAscii(header.getKey(), WireSyntax.utf8Value(header.getValue()));
        }
        return headers.build();
    }

    private static RequestBody body(MirrorRequest request) {
        if (request.bodyLength() == 0 && !BODY_REQUIRED.contains(request.method())) {
            return null;
        }
        return new BufferBody(request.body());
    }

    private ShadowResponse capture(Call call, Response response) throws IOException {
        List<Map.Entry<String, String>> headers = new ArrayList<>(response.headers().size());
        for (int i = 0; i < response.headers().size(); i++) {
            headers.add(Map.entry(response.headers().name(i), response.headers().value(i)));
        }
        ResponseBody body = response.body();
        BufferedSource source = body.source();
        Buffer captured = new Buffer();
        while (captured.size() < captureLimit && source.read(captured, captureLimit - captured.size()) != -1) {
            // keep reading until the limit or the end of the body
        }
        boolean truncated = source.request(1);
        if (truncated) {
            // Closing would first read the rest, for up to 100 ms, to keep the connection: on
            // loopback that is hundreds of megabytes of a runaway answer. Cancelling gives it up.
            call.cancel();
        }
        return ShadowResponse.of(response.code(), headers, captured.readByteArray(), truncated);
    }

    /**
     * OkHttp adds User-Agent and Accept-Encoding when a request has none; the shadow must see the
     * client's headers, not ours, so they are taken out again unless the client sent them.
     */
    private static Response withoutClientDefaults(Interceptor.Chain chain) throws IOException {
        Request request = chain.request();
        MirrorRequest original = request.tag(MirrorRequest.class);
        if (original == null) {
            return chain.proceed(request);
        }
        Request.Builder builder = request.newBuilder();
        if (original.header("User-Agent") == null) {
            builder.removeHeader("User-Agent");
        }
        if (original.header("Accept-Encoding") == null) {
            builder.removeHeader("Accept-Encoding");
        }
        return chain.proceed(builder.build());
    }

    /** Connections open to the targets, idle or in use; for tests that look for leaks. */
    public int connectionCount() {
        return client.connectionPool().connectionCount();
    }

    @Override
    public void close() {
        closed = true;
        calls.forEach(Call::cancel);
        client.dispatcher().cancelAll();
        client.connectionPool().evictAll();
    }

    /** The copy's body as it is, without an array copy; no media type, so Content-Type travels as received. */
    private static final class BufferBody extends RequestBody {
        private final ByteBuffer body;

        BufferBody(ByteBuffer body) {
            this.body = body;
        }

        @Override
        public MediaType contentType() {
            return null;
        }

        @Override
        public long contentLength() {
            return body.remaining();
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.write(body.duplicate());
        }
    }
}
