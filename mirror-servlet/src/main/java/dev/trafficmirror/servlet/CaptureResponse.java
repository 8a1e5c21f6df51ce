package dev.trafficmirror.servlet;

import dev.trafficmirror.core.integration.PendingMirror;
import dev.trafficmirror.core.integration.PrimaryResponse;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The response as the application sees it when a chosen target compares answers: identical, except
 * that the body bytes it writes, through {@link #getOutputStream()} or {@link #getWriter()}, are
 * also copied (capped) for comparison. Every call still goes to the container, in the same order, so
 * the client gets the same bytes at the same moments; the request thread pays for the capped copy.
 *
 * <p>Status and headers are read from the container once the answer is complete. What the capture
 * cannot see is reported, never guessed: a container-written answer ({@code sendError},
 * {@code sendRedirect}) is compared on its status only; a body written past the capture (over the
 * cap, or through {@code AsyncContext.getResponse()}) is not compared; and when the application
 * threw, nothing is.
 */
final class CaptureResponse extends HttpServletResponseWrapper {

    private final long start = System.nanoTime();
    private final CaptureBuffer body;
    private final String lineSeparator;
    private CaptureOutputStream stream;
    private ServletOutputStream streamOf;
    private CaptureWriter writer;
    private PrintWriter writerOf;
    private volatile boolean outputTaken;
    private volatile String containerAnswer;
    private volatile String incomplete;
    private volatile boolean returned;
    private volatile boolean asyncBypass;
    private volatile long end;

    CaptureResponse(HttpServletResponse response, int captureLimit, String lineSeparator) {
        super(response);
        this.body = new CaptureBuffer(captureLimit);
        this.lineSeparator = lineSeparator;
    }

    /**
     * Wraps the response when a target chosen for this request compares answers or records the exchange, and tells
     * {@code pending} where to get the capture; otherwise returns {@code null} and costs nothing.
     */
    static CaptureResponse forComparison(ServletResponse response, PendingMirror pending, ServletContext context) {
        if (!pending.wantsPrimaryResponse() || !(response instanceof HttpServletResponse http)) {
            return null;
        }
        CaptureResponse capture = new CaptureResponse(http, pending.responseCaptureLimit(),
                ContainerTraits.writerLineSeparator(context));
        pending.comparePrimary(capture::primaryResponse);
        return capture;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        // The container's own checks (getWriter() already called...) run first, every time.
        ServletOutputStream out = super.getOutputStream();
        if (out != streamOf) {
            stream = new CaptureOutputStream(out, body, this);
            streamOf = out;
        }
        outputTaken = true;
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        PrintWriter out = super.getWriter();
        if (out != writerOf) {
            writer = new CaptureWriter(out, charset(), body, lineSeparator);
            writerOf = out;
        }
        outputTaken = true;
        return writer;
    }

    /** The charset the container's writer encodes with, fixed once it handed the writer out. */
    private Charset charset() {
        String encoding = getCharacterEncoding();
        try {
            return encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            captureIncomplete("the response charset " + encoding + " is unknown to the capture");
            return StandardCharsets.ISO_8859_1;
        }
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        super.sendError(status, message);
        containerAnswer = "sendError";
    }

    @Override
    public void sendError(int status) throws IOException {
        super.sendError(status);
        containerAnswer = "sendError";
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        super.sendRedirect(location);
        containerAnswer = "sendRedirect";
    }

    @Override
    public void reset() {
        super.reset();
        // Not committed, or the container would have thrown: nothing written so far reaches the client.
        body.clear();
        incomplete = null;
        containerAnswer = null;
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        body.clear();
        incomplete = null;
    }

    void captureIncomplete(String why) {
        incomplete = why;
    }

    /**
     * The application returned normally from the filter chain. If it went async with a response
     * other than this one ({@code startAsync()} without arguments), it may write through
     * {@code AsyncContext.getResponse()}, past the capture.
     */
    void applicationReturned(HttpServletRequest request) {
        returned = true;
        try {
            if (request.isAsyncStarted()) {
                asyncBypass = !wraps(request.getAsyncContext().getResponse());
                return;
            }
        } catch (RuntimeException e) {
            // Never into the application: an async cycle that cannot be inspected is not trusted.
            asyncBypass = true;
            return;
        }
        end = System.nanoTime();
    }

    private boolean wraps(ServletResponse response) {
        for (ServletResponse at = response; at != null; ) {
            if (at == this) {
                return true;
            }
            at = at instanceof ServletResponseWrapper wrapper ? wrapper.getResponse() : null;
        }
        return false;
    }

    /** The capture, taken once the answer is complete, on the thread that completes it. */
    PrimaryResponse primaryResponse() {
        long finished = end != 0 ? end : System.nanoTime();
        HttpServletResponse container = (HttpServletResponse) getResponse();
        PrimaryResponse.Builder answer = PrimaryResponse.builder(container.getStatus())
                .latency(Duration.ofNanos(finished - start));
        Set<String> names = new HashSet<>();
        Collection<String> headerNames = container.getHeaderNames();
        for (String name : headerNames) {
            if (names.add(name.toLowerCase(Locale.ROOT))) {
                for (String value : container.getHeaders(name)) {
                    answer.header(name, value);
                }
            }
        }
        // Some containers keep the content type apart from the other headers until they commit.
        if (!names.contains("content-type") && container.getContentType() != null) {
            answer.header("Content-Type", container.getContentType());
        }
        if (!returned) {
            answer.unknown("the application threw before it answered: the container answers with its own error page");
        } else if (containerAnswer != null) {
            answer.containerAnswer(containerAnswer);
        } else if (asyncBypass && !outputTaken) {
            answer.bodyIncomplete("the application wrote its async answer through AsyncContext.getResponse(),"
                    + " which the capture does not see");
        } else if (body.overflowed()) {
            answer.bodyIncomplete("the primary's body is larger than the capture limit (" + body.cap() + " bytes)");
        } else if (incomplete != null) {
            answer.bodyIncomplete(incomplete);
        } else {
            answer.body(body.parts());
        }
        return answer.build();
    }
}
