package dev.trafficmirror.bench.jmh;

import dev.trafficmirror.core.integration.PrimaryResponse;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What comparing costs the request thread: writing an answer through the response capture (wrap,
 * capped copy of every byte, snapshot of status and headers) against writing it to the container's
 * response directly. The container is a stand-in that discards bytes, so the difference between
 * the two is the capture alone.
 *
 * <pre>
 * ./mvnw -B -q -pl mirror-benchmarks -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp mirror-benchmarks/target/classes:$(cat mirror-benchmarks/target/cp.txt) org.openjdk.jmh.Main ResponseCaptureBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResponseCaptureBenchmark {

    /** The capture is package-private in mirror-servlet; only its construction and snapshot are reached this way. */
    private static final MethodHandle CAPTURE;
    private static final MethodHandle SNAPSHOT;

    static {
        try {
            Class<?> type = Class.forName("dev.trafficmirror.servlet.CaptureResponse");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            CAPTURE = lookup.findConstructor(type, MethodType.methodType(void.class, HttpServletResponse.class, int.class))
                    .asType(MethodType.methodType(HttpServletResponse.class, HttpServletResponse.class, int.class));
            SNAPSHOT = lookup.findVirtual(type, "primaryResponse",
                            MethodType.methodType(PrimaryResponse.class))
                    .asType(MethodType.methodType(Object.class, HttpServletResponse.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int CHUNK = 8192;
    private static final int CAPTURE_LIMIT = 64 << 10;

    @Param({"1024", "16384", "65536"})
    private int bodySize;

    private byte[] body;
    private String text;
    private DiscardingResponse container;

    @Setup(Level.Trial)
    public void setUp() {
        body = new byte[bodySize];
        for (int i = 0; i < bodySize; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        text = new String(body, StandardCharsets.US_ASCII);
        container = new DiscardingResponse();
    }

    @Benchmark
    public Object streamWithoutCapture() throws IOException {
        container.prepare();
        writeBody(container);
        return container;
    }

    @Benchmark
    public Object streamWithCapture() throws Throwable {
        container.prepare();
        HttpServletResponse capture = (HttpServletResponse) CAPTURE.invokeExact((HttpServletResponse) container, CAPTURE_LIMIT);
        writeBody(capture);
        return SNAPSHOT.invokeExact(capture);
    }

    @Benchmark
    public Object writerWithoutCapture() throws IOException {
        container.prepare();
        writeText(container);
        return container;
    }

    @Benchmark
    public Object writerWithCapture() throws Throwable {
        container.prepare();
        HttpServletResponse capture = (HttpServletResponse) CAPTURE.invokeExact((HttpServletResponse) container, CAPTURE_LIMIT);
        writeText(capture);
        return SNAPSHOT.invokeExact(capture);
    }

    private void writeBody(HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        ServletOutputStream out = response.getOutputStream();
        for (int at = 0; at < body.length; at += CHUNK) {
            out.write(body, at, Math.min(CHUNK, body.length - at));
        }
    }

    private void writeText(HttpServletResponse response) throws IOException {
        response.setContentType("application/json;charset=UTF-8");
        PrintWriter out = response.getWriter();
        for (int at = 0; at < text.length(); at += CHUNK) {
            out.write(text, at, Math.min(CHUNK, text.length() - at));
        }
        out.flush();
    }

    /** A container response that keeps its head and throws its body away. */
    static final class DiscardingResponse implements HttpServletResponse {
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private final ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                written++;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                written += length;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException("the benchmark application writes blocking only");
            }
        };
        private final PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        private long written;
        private int status = 200;
        private String contentType;

        void prepare() {
            headers.clear();
            status = 200;
            contentType = null;
            headers.put("X-Request-Id", new ArrayList<>(List.of("req-1")));
            headers.put("Cache-Control", new ArrayList<>(List.of("no-store")));
        }

        @Override
        public String getCharacterEncoding() {
            return "UTF-8";
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return out;
        }

        @Override
        public PrintWriter getWriter() {
            return writer;
        }

        @Override
        public void setCharacterEncoding(String charset) {
        }

        @Override
        public void setContentLength(int length) {
        }

        @Override
        public void setContentLengthLong(long length) {
        }

        @Override
        public void setContentType(String type) {
            this.contentType = type;
        }

        @Override
        public void setBufferSize(int size) {
        }

        @Override
        public int getBufferSize() {
            return CHUNK;
        }

        @Override
        public void flushBuffer() {
        }

        @Override
        public void resetBuffer() {
        }

        @Override
        public boolean isCommitted() {
            return false;
        }

        @Override
        public void reset() {
        }

        @Override
        public void setLocale(Locale locale) {
        }

        @Override
        public Locale getLocale() {
            return Locale.ROOT;
        }

        @Override
        public void addCookie(Cookie cookie) {
        }

        @Override
        public boolean containsHeader(String name) {
            return headers.containsKey(name);
        }

        @Override
        public String encodeURL(String url) {
            return url;
        }

        @Override
        public String encodeRedirectURL(String url) {
            return url;
        }

        @Override
        public void sendError(int sc, String msg) {
            status = sc;
        }

        @Override
        public void sendError(int sc) {
            status = sc;
        }

        @Override
        public void sendRedirect(String location) {
            status = 302;
        }

        @Override
        public void setDateHeader(String name, long date) {
            setHeader(name, Long.toString(date));
        }

        @Override
        public void addDateHeader(String name, long date) {
            addHeader(name, Long.toString(date));
        }

        @Override
        public void setHeader(String name, String value) {
            headers.put(name, new ArrayList<>(List.of(value)));
        }

        @Override
        public void addHeader(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }

        @Override
        public void setIntHeader(String name, int value) {
            setHeader(name, Integer.toString(value));
        }

        @Override
        public void addIntHeader(String name, int value) {
            addHeader(name, Integer.toString(value));
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public String getHeader(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        @Override
        public Collection<String> getHeaders(String name) {
            return headers.getOrDefault(name, List.of());
        }

        @Override
        public Collection<String> getHeaderNames() {
            return headers.keySet();
        }
    }
}
