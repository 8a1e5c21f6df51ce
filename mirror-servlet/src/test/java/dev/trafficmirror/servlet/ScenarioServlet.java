package dev.trafficmirror.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Answers the same way every time, in one of many ways chosen by the path: every way a servlet can
 * write its answer, so that capture can be shown to change none of them.
 */
final class ScenarioServlet extends HttpServlet {

    /** Every path this servlet answers. */
    static final List<String> SCENARIOS = List.of("/json", "/stream", "/writer", "/writer-default-charset", "/print",
            "/print-non-ascii", "/flush-buffer", "/reset-buffer", "/send-error", "/send-redirect", "/async",
            "/async-wrapped", "/async-context-response", "/write-listener", "/gzip", "/large", "/throw", "/empty");

    static final byte[] JSON = "{\"id\":7,\"items\":[{\"sku\":\"a-1\",\"price\":4.5},{\"sku\":\"b-2\",\"price\":12}],\"tags\":[\"x\",\"y\"]}"
            .getBytes(StandardCharsets.UTF_8);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        switch (request.getRequestURI()) {
            case "/json" -> {
                response.setContentType("application/json");
                response.setContentLength(JSON.length);
                response.getOutputStream().write(JSON);
            }
            case "/stream" -> {
                response.setContentType("application/octet-stream");
                ServletOutputStream out = response.getOutputStream();
                for (int i = 0; i < 5; i++) {
                    out.write(block(i, 3000));
                    out.flush();
                }
                out.write('!');
            }
            case "/writer" -> {
                response.setContentType("text/plain;charset=UTF-8");
                response.setHeader("X-Scenario", "writer");
                PrintWriter out = response.getWriter();
                out.print("héllo wörld € ");
                out.write("\uD83D");
                out.write("\uDE00 split surrogate pair");
                out.println();
                out.printf("%d items, %s%n", 3, "naïve");
                out.append('x').append("yz");
                out.flush();
                out.write("after flush");
            }
            case "/writer-default-charset" -> {
                response.setContentType("text/plain");
                response.getWriter().print("café, Latin-1 by default");
            }
            case "/print" -> {
                response.setContentType("text/plain");
                ServletOutputStream out = response.getOutputStream();
                out.print("ascii ");
                out.print(42);
                out.print(true);
                out.println();
                out.println("line");
                out.println(3.5);
            }
            case "/print-non-ascii" -> {
                response.setContentType("text/plain;charset=UTF-8");
                response.getOutputStream().print("é is not ASCII");
            }
            case "/flush-buffer" -> {
                response.setContentType("text/plain");
                response.getOutputStream().write("before ".getBytes(StandardCharsets.US_ASCII));
                response.flushBuffer();
                response.getOutputStream().write("after".getBytes(StandardCharsets.US_ASCII));
            }
            case "/reset-buffer" -> {
                response.setContentType("text/plain");
                response.getOutputStream().write("discarded ".getBytes(StandardCharsets.US_ASCII));
                response.resetBuffer();
                response.getOutputStream().write("kept".getBytes(StandardCharsets.US_ASCII));
            }
            case "/send-error" -> response.sendError(404, "no such review");
            case "/send-redirect" -> response.sendRedirect("http://elsewhere.test/reviews");
            case "/async" -> answerLater(request.startAsync(), () -> response);
            case "/async-wrapped" -> {
                AsyncContext async = request.startAsync(request, response);
                answerLater(async, async::getResponse);
            }
            case "/async-context-response" -> {
                AsyncContext async = request.startAsync();
                answerLater(async, async::getResponse);
            }
            case "/write-listener" -> {
                AsyncContext async = request.startAsync();
                response.setContentType("application/octet-stream");
                ServletOutputStream out = response.getOutputStream();
                out.setWriteListener(new WriteListener() {
                    private int next;

                    @Override
                    public void onWritePossible() throws IOException {
                        while (out.isReady()) {
                            if (next == 6) {
                                async.complete();
                                return;
                            }
                            out.write(block(next++, 2000));
                        }
                    }

                    @Override
                    public void onError(Throwable failure) {
                        async.complete();
                    }
                });
            }
            case "/gzip" -> {
                byte[] gzipped = gzip(JSON);
                response.setContentType("application/json");
                response.setHeader("Content-Encoding", "gzip");
                response.setContentLength(gzipped.length);
                response.getOutputStream().write(gzipped);
            }
            case "/large" -> {
                response.setContentType("application/octet-stream");
                ServletOutputStream out = response.getOutputStream();
                for (int i = 0; i < 25; i++) {
                    out.write(block(i, 4000));
                }
            }
            case "/throw" -> throw new ServletException("the application failed");
            case "/empty" -> response.setStatus(204);
            default -> response.sendError(400, "unknown scenario");
        }
    }

    /** {@code size} bytes that differ from block to block. */
    /** Writes the JSON answer on a container thread, through the response {@code target} gives there, then completes. */
    private static void answerLater(AsyncContext async, Supplier<ServletResponse> target) {
        async.start(() -> {
            try {
                ServletResponse response = target.get();
                response.setContentType("application/json");
                response.getOutputStream().write(JSON);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                async.complete();
            }
        });
    }

    static byte[] block(int seed, int size) {
        byte[] block = new byte[size];
        for (int i = 0; i < size; i++) {
            block[i] = (byte) ('a' + (seed * 7 + i) % 26);
        }
        return block;
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
