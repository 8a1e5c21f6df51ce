package dev.trafficmirror.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application that reads its request body in the way the request path names, and answers with
 * a plain-text report of everything it observed: bytes (length and SHA-256), characters, parameters,
 * parts, exceptions. Run with and without the filter, the reports must be equal.
 *
 * <p>Settings come in {@code X-Probe-*} headers, never in the query, so that choosing a behaviour
 * never asks the container for parameters. When the client is gone, the report goes to
 * {@link #abandoned} under the request's {@code X-Request-Id}.
 */
final class ProbeServlet extends HttpServlet {

    /** Reports of requests whose client went away before the answer, by X-Request-Id. */
    static final Map<String, String> abandoned = new ConcurrentHashMap<>();

    /** The largest capacity a tee had while the application read, by X-Request-Id (mirrored runs only). */
    static final Map<String, Long> teeCapacity = new ConcurrentHashMap<>();

    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "probe-worker");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public void destroy() {
        workers.shutdownNow();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        Report report = new Report();
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            report.put("error-page", request.getAttribute("jakarta.servlet.error.status_code"));
            report.put("dispatch", request.getDispatcherType());
            answer(response, report);
            return;
        }
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            report.put("dispatch", request.getDispatcherType());
            report.bytes("async-read", readAll(request.getInputStream()));
            answer(response, report);
            return;
        }
        try {
            if (!probe(request, response, report)) {
                return;
            }
        } catch (IOException | ServletException | RuntimeException e) {
            // Reported rather than left to the container's error page, whose stack trace shows the filter.
            report.put("failed", e.getClass().getName() + ": " + e.getMessage());
        }
        answer(response, report);
    }

    /** Does what the path says; {@code false} when it answered (or will answer) by itself. */
    private boolean probe(HttpServletRequest request, HttpServletResponse response, Report report)
            throws IOException, ServletException {
        String path = request.getRequestURI();
        switch (path.substring(0, path.indexOf('/', 1) < 0 ? path.length() : path.indexOf('/', 1))) {
            case "/stream" -> stream(request, report, path);
            case "/reader" -> reader(request, report, path);
            case "/params" -> params(request, report, path);
            case "/parts" -> parts(request, report);
            case "/ignore" -> report.put("ignored", true);
            case "/partial" -> report.bytes("read", request.getInputStream().readNBytes(setting(request, "Bytes")));
            case "/async" -> {
                async(request, response, path);
                return false;
            }
            case "/abort" -> {
                abort(request);
                return false;
            }
            case "/teapot" -> {
                report.bytes("read", request.getInputStream().readAllBytes());
                response.sendError(418);
                return false;
            }
            case "/memory" -> memory(request, report);
            default -> report.put("method", request.getMethod());
        }
        return true;
    }

    private static int setting(HttpServletRequest request, String name) {
        String value = request.getHeader("X-Probe-" + name);
        return value == null ? 0 : Integer.parseInt(value);
    }

    private static void stream(HttpServletRequest request, Report report, String path) throws IOException {
        ServletInputStream in = request.getInputStream();
        report.put("same-stream", in == request.getInputStream());
        switch (path) {
            case "/stream/byte" -> {
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                for (int b = in.read(); b >= 0; b = in.read()) {
                    seen.write(b);
                }
                report.bytes("read", seen.toByteArray());
            }
            case "/stream/array" -> {
                byte[] buffer = new byte[setting(request, "Size")];
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    seen.write(buffer, 0, n);
                }
                report.bytes("read", seen.toByteArray());
            }
            case "/stream/range" -> {
                int offset = setting(request, "Offset");
                int length = setting(request, "Size");
                byte[] buffer = new byte[offset + length + 16];
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                boolean guarded = true;
                while (true) {
                    Arrays.fill(buffer, (byte) 0x5a);
                    int n = in.read(buffer, offset, length);
                    if (n < 0) {
                        break;
                    }
                    seen.write(buffer, offset, n);
                    for (int i = 0; i < buffer.length; i++) {
                        guarded &= i >= offset && i < offset + n || buffer[i] == 0x5a;
                    }
                }
                report.bytes("read", seen.toByteArray());
                report.put("outside-untouched", guarded);
            }
            case "/stream/all" -> report.bytes("read", in.readAllBytes());
            case "/stream/n" -> {
                int size = setting(request, "Size");
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                byte[] piece;
                do {
                    piece = in.readNBytes(size);
                    seen.writeBytes(piece);
                } while (piece.length == size);
                byte[] into = new byte[size + 4];
                report.put("into-after-end", in.readNBytes(into, 2, size));
                report.bytes("read", seen.toByteArray());
            }
            case "/stream/skip" -> {
                int skip = setting(request, "Skip");
                int read = setting(request, "Size");
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                long skipped = 0;
                while (true) {
                    skipped += in.skip(skip);
                    byte[] piece = in.readNBytes(read);
                    seen.writeBytes(piece);
                    if (piece.length < read) {
                        break;
                    }
                }
                report.put("skipped", skipped);
                report.bytes("read", seen.toByteArray());
            }
            case "/stream/available" -> {
                int before = in.available();
                byte[] all = in.readAllBytes();
                report.put("available-within-body", before >= 0 && before <= all.length);
                report.put("available-at-end", in.available());
                report.bytes("read", all);
            }
            case "/stream/line" -> {
                byte[] line = new byte[setting(request, "Size")];
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                int lines = 0;
                for (int n = in.readLine(line, 0, line.length); n >= 0; n = in.readLine(line, 0, line.length)) {
                    seen.write(line, 0, n);
                    lines++;
                }
                report.put("lines", lines);
                report.bytes("read", seen.toByteArray());
            }
            default -> throw new IllegalArgumentException(path);
        }
        report.put("after-end", in.read());
        report.put("finished", in.isFinished());
        try {
            request.getReader();
            report.put("reader-after-stream", "allowed");
        } catch (IllegalStateException e) {
            report.put("reader-after-stream", e.getClass().getName() + ": " + e.getMessage());
        }
    }

    private static void reader(HttpServletRequest request, Report report, String path) throws IOException {
        String encoding = request.getHeader("X-Probe-Encoding");
        if (encoding != null) {
            request.setCharacterEncoding(encoding);
        }
        report.put("encoding", request.getCharacterEncoding());
        BufferedReader reader;
        try {
            reader = request.getReader();
        } catch (IOException | RuntimeException e) {
            report.put("reader", failure(e));
            return;
        }
        report.put("same-reader", reader == request.getReader());
        StringBuilder text = new StringBuilder();
        try {
            readText(request, reader, path, text, report);
        } catch (IOException e) {
            report.put("read-failed", failure(e));
        }
        if (!path.equals("/reader/bytes")) {
            report.text("text", text.toString());
        }
        request.setCharacterEncoding("UTF-16");
        report.put("encoding-after-reader", request.getCharacterEncoding());
        try {
            request.getInputStream();
            report.put("stream-after-reader", "allowed");
        } catch (IllegalStateException e) {
            report.put("stream-after-reader", e.getClass().getName());
        }
    }

    private static void readText(HttpServletRequest request, BufferedReader reader, String path, StringBuilder text,
            Report report) throws IOException {
        switch (path) {
            case "/reader/chars" -> {
                char[] buffer = new char[setting(request, "Size")];
                for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
                    text.append(buffer, 0, n);
                }
            }
            case "/reader/char" -> {
                for (int c = reader.read(); c >= 0; c = reader.read()) {
                    text.append((char) c);
                }
            }
            case "/reader/bytes" -> {
                // For bodies read as ISO-8859-1, where every char is one byte: the bytes, not the text.
                char[] buffer = new char[8192];
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        seen.write(buffer[i]);
                    }
                }
                report.bytes("read", seen.toByteArray());
            }
            case "/reader/closed" -> {
                text.append((char) reader.read());
                reader.close();
                try {
                    report.put("read-after-close", reader.read());
                } catch (IOException e) {
                    report.put("read-after-close", failure(e));
                }
            }
            case "/reader/lines" -> {
                int lines = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    text.append(line).append('|');
                    lines++;
                }
                report.put("lines", lines);
            }
            default -> throw new IllegalArgumentException(path);
        }
    }

    /** The exception as the application can tell it: its nearest JDK class, and its message. */
    static String failure(Throwable e) {
        Class<?> type = e.getClass();
        while (!type.getName().startsWith("java.")) {
            type = type.getSuperclass();
        }
        return type.getName() + ": " + e.getMessage();
    }

    private static void params(HttpServletRequest request, Report report, String path) throws IOException {
        String encoding = request.getHeader("X-Probe-Encoding");
        if (encoding != null) {
            request.setCharacterEncoding(encoding);
        }
        if (path.equals("/params/after-stream")) {
            report.bytes("read", request.getInputStream().readAllBytes());
        }
        report.text("first-a", request.getParameter("a"));
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            report.text("param " + parameter.getKey(), String.join(" | ", parameter.getValue()));
        }
        report.text("names", String.join(",", Collections.list(request.getParameterNames())));
        String[] values = request.getParameterValues("a");
        report.text("values-a", values == null ? null : String.join(" | ", values));
        if (path.equals("/params/then-stream")) {
            report.bytes("read", request.getInputStream().readAllBytes());
        }
        if (path.equals("/params/then-reader")) {
            report.text("read", readAll(request.getReader()));
        }
    }

    private static void parts(HttpServletRequest request, Report report) throws IOException, ServletException {
        for (Part part : request.getParts()) {
            String name = part.getName();
            report.text("part " + name + " file", part.getSubmittedFileName());
            report.text("part " + name + " type", part.getContentType());
            report.put("part " + name + " size", part.getSize());
            for (String header : part.getHeaderNames()) {
                report.text("part " + name + " header " + header, String.join(" | ", part.getHeaders(header)));
            }
            try (InputStream content = part.getInputStream()) {
                report.bytes("part " + name + " content", content.readAllBytes());
            }
        }
        report.text("param text", request.getParameter("text"));
    }

    private void async(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        AsyncContext async = path.equals("/async/wrapped-dispatch") ? request.startAsync(request, response)
                : request.startAsync();
        Report report = new Report();
        report.put("async-context-same", request.getAsyncContext() == async);
        report.put("original", async.hasOriginalRequestAndResponse());
        switch (path) {
            case "/async/listener" -> {
                ServletInputStream in = request.getInputStream();
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                in.setReadListener(new ReadListener() {
                    @Override
                    public void onDataAvailable() throws IOException {
                        byte[] buffer = new byte[setting(request, "Size") == 0 ? 4096 : setting(request, "Size")];
                        if ("until-finished".equals(request.getHeader("X-Probe-Loop"))) {
                            // Never reads past the last byte: the end is known from isFinished() alone.
                            while (!in.isFinished() && in.isReady()) {
                                int n = in.read(buffer);
                                seen.write(buffer, 0, Math.max(n, 0));
                            }
                            return;
                        }
                        while (in.isReady()) {
                            int n = in.read(buffer);
                            if (n < 0) {
                                break;
                            }
                            seen.write(buffer, 0, n);
                        }
                    }

                    @Override
                    public void onAllDataRead() throws IOException {
                        report.bytes("read", seen.toByteArray());
                        report.put("finished", in.isFinished());
                        report.put("ready", in.isReady());
                        answer((HttpServletResponse) async.getResponse(), report);
                        async.complete();
                    }

                    @Override
                    public void onError(Throwable t) {
                        report.put("error", t.getClass().getName());
                        abandoned.put(request.getHeader("X-Request-Id"), report.toString());
                        async.complete();
                    }
                });
                try {
                    in.setReadListener(new ReadListener() {
                        @Override
                        public void onDataAvailable() {
                        }

                        @Override
                        public void onAllDataRead() {
                        }

                        @Override
                        public void onError(Throwable t) {
                        }
                    });
                } catch (IllegalStateException e) {
                    report.put("second-listener", e.getClass().getName());
                }
            }
            case "/async/thread" -> workers.execute(() -> {
                try {
                    report.put("same-request", async.getRequest() == request);
                    report.bytes("read", readAll(async.getRequest().getInputStream()));
                    answer((HttpServletResponse) async.getResponse(), report);
                } catch (IOException e) {
                    abandoned.put(request.getHeader("X-Request-Id"), e.getClass().getName());
                } finally {
                    async.complete();
                }
            });
            case "/async/start" -> async.start(() -> {
                try {
                    report.bytes("read", readAll(request.getInputStream()));
                    answer((HttpServletResponse) async.getResponse(), report);
                } catch (IOException e) {
                    abandoned.put(request.getHeader("X-Request-Id"), e.getClass().getName());
                } finally {
                    async.complete();
                }
            });
            case "/async/dispatch" -> workers.execute(async::dispatch);
            case "/async/wrapped-dispatch" -> workers.execute(async::dispatch);
            case "/async/ignore" -> workers.execute(() -> {
                answer((HttpServletResponse) async.getResponse(), report);
                async.complete();
            });
            case "/async/partial" -> workers.execute(() -> {
                try {
                    report.bytes("read", async.getRequest().getInputStream().readNBytes(setting(request, "Bytes")));
                    answer((HttpServletResponse) async.getResponse(), report);
                } catch (IOException e) {
                    abandoned.put(request.getHeader("X-Request-Id"), e.getClass().getName());
                } finally {
                    async.complete();
                }
            });
            default -> throw new IllegalArgumentException(path);
        }
    }

    /** Reads until the client goes away; the report goes to {@link #abandoned}. */
    private static void abort(HttpServletRequest request) {
        Report report = new Report();
        AtomicLong read = new AtomicLong();
        try {
            InputStream in = request.getInputStream();
            byte[] buffer = new byte[4096];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read.addAndGet(n);
            }
            report.put("outcome", "end of stream");
        } catch (IOException | RuntimeException e) {
            report.put("outcome", e.getClass().getName());
        }
        report.put("read", read.get());
        BodyTee tee = tee(request);
        if (tee != null) {
            report.put("tee-capacity", tee.capacity());
        }
        abandoned.put(request.getHeader("X-Request-Id"), report.toString());
    }

    /** Streams the body through, watching how much the tee holds after every read. */
    private static void memory(HttpServletRequest request, Report report) throws IOException {
        InputStream in = request.getInputStream();
        BodyTee tee = tee(request);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        long largest = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            if (tee != null) {
                largest = Math.max(largest, tee.capacity());
            }
        }
        report.put("read", total);
        if (tee != null) {
            teeCapacity.put(request.getHeader("X-Request-Id"), largest);
            report.put("tee-capacity-at-end", tee.capacity());
        }
    }

    /** The filter's tee under this request, when the filter runs. */
    static BodyTee tee(ServletRequest request) {
        for (ServletRequest r = request; r instanceof ServletRequestWrapper wrapper; r = wrapper.getRequest()) {
            if (r instanceof TeeRequest tee) {
                return tee.tee();
            }
        }
        return null;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static String readAll(BufferedReader reader) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[1024];
        for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
            text.append(buffer, 0, n);
        }
        return text.toString();
    }

    private static void answer(HttpServletResponse response, Report report) {
        try {
            byte[] body = report.toString().getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.setContentType("text/plain;charset=utf-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } catch (IOException e) {
            // the client is gone; the test looks at what the mirror did
        }
    }

    /** What the application observed, one {@code key=value} line each, in order. */
    static final class Report {
        private final StringBuilder lines = new StringBuilder();

        synchronized void put(String key, Object value) {
            lines.append(key).append('=').append(value).append('\n');
        }

        void bytes(String key, byte[] bytes) {
            put(key, describe(bytes));
        }

        /** Text with every character outside printable ASCII escaped, so that nothing is lost. */
        void text(String key, String text) {
            if (text == null) {
                put(key, null);
                return;
            }
            StringBuilder escaped = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c >= 0x20 && c < 0x7f && c != '\\') {
                    escaped.append(c);
                } else {
                    escaped.append(String.format("\\u%04x", (int) c));
                }
            }
            put(key, escaped);
        }

        @Override
        public synchronized String toString() {
            return lines.toString();
        }
    }

    static String describe(byte[] bytes) {
        try {
            return bytes.length + ":" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
