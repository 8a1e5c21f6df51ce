package dev.trafficmirror.servlet;

import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.integration.PendingMirror;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mirrored request's body, as the application uses it, across every dispatch of the request:
 * the capped copy, the one stream and reader handed out, what the container parsed itself, and the
 * decision, taken once, to send the copy or to count why not.
 *
 * <p>It knows what the container would do only from the servlet API: it asks the container
 * (for exceptions, charsets, parameters) rather than imitating it.
 */
final class TeedBody {

    private static final Logger log = LoggerFactory.getLogger(MirrorFilter.class);
    private static final int DRAIN_CHUNK = 8192;
    /** Tomcat's message (inputBuffer.streamClosed) for reading an input it has closed. */
    private static final String TOMCAT_STREAM_CLOSED = "Stream closed";

    private final HttpServletRequest request;
    private final ServletResponse response;
    private final PendingMirror pending;
    private final BodyTee tee;
    private final AsyncBodies asyncBodies;
    private final BodyRebuilds rebuilds;
    private final String mediaType;
    private final boolean expectsContinue;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AsyncCompletion completion = new AsyncCompletion();

    private TeeInputStream stream;
    private BufferedReader reader;
    private volatile boolean streamHandedOut;
    private volatile boolean readerHandedOut;
    /** The application reads through the container's own reader: the tee sees nothing. */
    private volatile boolean readerBypassed;
    private volatile boolean charsetSetByApplication;
    private volatile boolean parsedByContainer;
    /** The charset the container decoded a form with, as it stood when the application asked. */
    private volatile String formEncoding;
    private volatile boolean upgraded;
    /** Marks a multipart body too large to rebuild within the cap. */
    private static final byte[] TOO_LARGE = new byte[0];
    /** The multipart body rebuilt when the parts were parsed; {@link #TOO_LARGE} when over the cap. */
    private volatile byte[] rebuiltBody;
    /** Reading the unread rest after the application found the input closed by the container. */
    private volatile boolean closedByContainer;
    /** A dispatch ended in an exception: the primary answered 500 whatever the response says. */
    private volatile boolean applicationThrew;
    private volatile int asyncStarts;
    private volatile boolean listening;
    private AsyncContext asyncContext;
    private TeeAsyncContext asyncView;

    TeedBody(HttpServletRequest request, ServletResponse response, PendingMirror pending, BodyTee tee,
            AsyncBodies asyncBodies, BodyRebuilds rebuilds) {
        this.request = request;
        this.response = response;
        this.pending = pending;
        this.tee = tee;
        this.asyncBodies = asyncBodies;
        this.rebuilds = rebuilds;
        this.mediaType = mediaType(request.getContentType());
        this.expectsContinue = "100-continue".equalsIgnoreCase(request.getHeader("Expect"));
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    BodyTee tee() {
        return tee;
    }

    // ---- the body as the application reads it ----

    ServletInputStream inputStream(TeeRequest view) throws IOException {
        if (readerHandedOut) {
            if (readerBypassed) {
                return view.containerInputStream(); // the container throws its own exception
            }
            throw new IllegalStateException("getReader() has already been called for this request");
        }
        TeeInputStream in = stream(view);
        streamHandedOut = true;
        return in;
    }

    BufferedReader reader(TeeRequest view) throws IOException {
        if (reader != null) {
            return reader;
        }
        if (streamHandedOut) {
            view.containerReader(); // the container's state is "stream": it throws its own exception
            throw new IllegalStateException("getInputStream() has already been called for this request");
        }
        Charset charset = readerCharset(view);
        if (charset == null) {
            // A charset we cannot decode as the container would: the container's reader, untouched.
            reader = view.containerReader();
            readerBypassed = true;
        } else {
            reader = reader(new InputStreamReader(stream(view), decoder(charset, view)), view);
        }
        readerHandedOut = true;
        return reader;
    }

    private BufferedReader reader(InputStreamReader characters, TeeRequest view) {
        if (!ContainerTraits.readerStaysOpenOnClose(view.getServletContext())) {
            return new BufferedReader(characters);
        }
        TeeInputStream bytes = stream;
        return new BufferedReader(characters) {
            @Override
            public void close() throws IOException {
                bytes.close();
            }
        };
    }

    /**
     * The charset the container's reader would decode with, or {@code null} when that cannot be
     * told: an unknown name, or, off Tomcat, an encoding that may be the context's default (see
     * {@link ContainerTraits#readerDecodesWithContextDefault}).
     */
    private Charset readerCharset(TeeRequest view) {
        String encoding = view.getCharacterEncoding();
        if (encoding == null) {
            return StandardCharsets.ISO_8859_1;
        }
        if (!charsetSetByApplication && !hasCharsetParameter(view.getContentType())
                && encoding.equals(view.getServletContext().getRequestCharacterEncoding())
                && !ContainerTraits.readerDecodesWithContextDefault(view.getServletContext())) {
            return null;
        }
        try {
            return Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A decoder that treats malformed input as the container's reader does: Tomcat's reader throws
     * {@link java.nio.charset.MalformedInputException}; Jetty's (a plain {@link InputStreamReader}),
     * like most, replaces it with U+FFFD.
     */
    private static CharsetDecoder decoder(Charset charset, TeeRequest view) {
        CharsetDecoder decoder = charset.newDecoder();
        if (ContainerTraits.readerReportsMalformedInput(view.getServletContext())) {
            return decoder;
        }
        return decoder.onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    private static boolean hasCharsetParameter(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("charset=");
    }

    /** Whether setCharacterEncoding may still change how the body is decoded. */
    boolean acceptsCharacterEncoding() {
        return !readerHandedOut;
    }

    void characterEncodingSet() {
        charsetSetByApplication = true;
    }

    private TeeInputStream stream(TeeRequest view) throws IOException {
        if (stream == null) {
            stream = new TeeInputStream(view.containerInputStream(), tee);
        }
        return stream;
    }

    /**
     * The application asked for parameters or parts. When the body is untouched and is a form or
     * multipart, the container may now read it itself, past the tee.
     */
    void parametersRequested() {
        if (!parsedByContainer && !streamHandedOut && !readerHandedOut && (isForm() || isMultipart())) {
            formEncoding = request.getCharacterEncoding();
            parsedByContainer = true;
        }
    }

    private boolean isForm() {
        return mediaType.equals("application/x-www-form-urlencoded");
    }

    /**
     * The container has parsed the parts: rebuild the body now, while they exist. Frameworks delete
     * them once the application is done (Spring's multipart cleanup does, before the filter gets
     * its turn), and with them the bytes to rebuild from.
     */
    void partsParsed() {
        if (!parsedByContainer || !isMultipart() || rebuiltBody != null || tee.size() != 0) {
            return;
        }
        try {
            byte[] rebuilt = MultipartBody.rebuild(request, tee.cap());
            rebuiltBody = rebuilt == null ? TOO_LARGE : rebuilt;
        } catch (IOException | ServletException | RuntimeException e) {
            // Left to the rebuild at the end, which counts what goes wrong.
        }
    }

    private boolean isMultipart() {
        return mediaType.equals("multipart/form-data");
    }

    void upgraded() {
        upgraded = true;
    }

    // ---- asynchronous requests ----

    int asyncStarts() {
        return asyncStarts;
    }

    /**
     * The application started (or restarted) async through the tee: finish on completion, and let a
     * later ASYNC dispatch find this body. A context holding the container's original request is
     * seen by the application through a view that hands out the tee instead.
     */
    AsyncContext asyncStarted(AsyncContext context, TeeRequest view, boolean holdsOriginalRequest) {
        asyncStarts++;
        listen(context);
        if (!holdsOriginalRequest) {
            return context;
        }
        synchronized (this) {
            if (asyncContext != context || asyncView == null || asyncView.request() != view) {
                asyncContext = context;
                asyncView = new TeeAsyncContext(context, view, response);
            }
            return asyncView;
        }
    }

    /** The context the application should see for what the container returns. */
    AsyncContext asyncView(AsyncContext context) {
        synchronized (this) {
            return context != null && context == asyncContext ? asyncView : context;
        }
    }

    private void listen(AsyncContext context) {
        if (!listening) {
            listening = true;
            asyncBodies.register(request, this);
            context.addListener(completion);
        }
    }

    /**
     * A dispatch of this request returned. Unless it left the request asynchronous, the application
     * is done with it: finish here, on the request thread, where the unread rest may be read.
     */
    void dispatchReturned(HttpServletRequest dispatched, int asyncStartsBefore, boolean threw) {
        applicationThrew |= threw;
        try {
            if (asyncStarts != asyncStartsBefore) {
                return;
            }
            if (dispatched.isAsyncStarted()) {
                // Started past the tee (on an unwrapped request): completion still finishes.
                listen(dispatched.getAsyncContext());
                return;
            }
            finish(true);
        } catch (RuntimeException e) {
            log.warn("Mirror could not finish a request", e);
            if (finished.compareAndSet(false, true)) {
                tee.release();
                pending.skip(Reason.ERROR);
            }
        }
    }

    // ---- the decision ----

    /**
     * Sends the copy, or counts why not; only the first call counts.
     *
     * @param mayRead whether this thread may read what the application left unread: only on the
     *     request thread of the last dispatch, never in an async completion callback
     */
    void finish(boolean mayRead) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            if (mayRead && mayReadRest()) {
                drain();
            }
            decide();
        } catch (RuntimeException e) {
            log.warn("Mirror could not finish a request", e);
            pending.skip(Reason.ERROR);
        } finally {
            tee.release();
        }
    }

    /**
     * Reading the rest must not change the exchange: not in non-blocking mode (a blocking read
     * throws there), not after an upgrade, and not when the client waits for 100-continue that the
     * application never asked for (the container would send it on our read).
     */
    private boolean mayReadRest() {
        return !tee.sawEnd() && tee.keeping() && !upgraded && !readerBypassed
                && (stream == null || !stream.isNonBlocking())
                && (!expectsContinue || streamHandedOut || readerHandedOut);
    }

    /**
     * The response is about to complete, and the container will close the request's input with it
     * ({@link InputClosingResponse}): read now what the application left unread, but only what
     * has arrived already, so that the answer is not held back; the rest, if any, is out of reach.
     */
    void responseCompleting() {
        try {
            if (finished.get() || request.isAsyncStarted() || !mayReadRest()) {
                return;
            }
            TeeInputStream in = stream != null ? stream : new TeeInputStream(request.getInputStream(), tee);
            byte[] chunk = new byte[DRAIN_CHUNK];
            for (int ready = in.available(); ready > 0 && !in.isFinished() && !tee.sawEnd() && tee.keeping();
                    ready = in.available()) {
                if (in.read(chunk, 0, Math.min(ready, chunk.length)) < 0) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The read failed (the tee has recorded it) or the container will not hand out its
            // stream: decided once the application is done, as for any other read.
        }
    }

    private void drain() {
        try {
            TeeInputStream in = stream == null ? new TeeInputStream(request.getInputStream(), tee) : stream;
            byte[] chunk = new byte[DRAIN_CHUNK];
            while (!tee.sawEnd() && tee.keeping() && in.read(chunk, 0, chunk.length) >= 0) {
                // every byte read is teed by the stream
            }
        } catch (IOException e) {
            // Usually the client went away (the tee has recorded it). Tomcat 11, unlike Tomcat 10.1
            // and Jetty 12, closes the input once a response with a Content-Length is complete: its
            // "Stream closed" means the rest is out of reach, not that the client left.
            closedByContainer = TOMCAT_STREAM_CLOSED.equals(e.getMessage());
        } catch (IllegalStateException e) {
            // The container will not hand out its stream (its reader is in use): nothing to read.
        }
    }

    private void decide() {
        if (tee.overflowed()) {
            pending.skip(Reason.BODY_TOO_LARGE);
        } else if (tee.overBudget()) {
            pending.skip(Reason.MEMORY_BUDGET);
        } else if (parsedByContainer && tee.size() == 0 && tee.declaredLength() != 0
                && (!tee.hasFailed() || closedByContainer)) {
            // Nothing reached the tee, yet there was a body (or, chunked, there may have been one):
            // the container parsed it (Tomcat 11 has closed the input behind it, too).
            consumedByContainer();
        } else if (tee.hasFailed()) {
            pending.skip(closedByContainer ? Reason.BODY_UNAVAILABLE : Reason.CLIENT_ABORTED);
        } else if (!tee.complete()) {
            pending.skip(Reason.BODY_UNAVAILABLE);
        } else {
            pending.send(tee.bytes(), primaryStatus());
        }
    }

    private int primaryStatus() {
        return applicationThrew ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : MirrorFilter.status(response);
    }

    /** The container parsed the body: rebuild it from its parts or parameters. */
    private void consumedByContainer() {
        if (isForm()) {
            rebuildForm();
            return;
        }
        if (!isMultipart()) {
            pending.skip(Reason.BODY_CONSUMED);
            return;
        }
        byte[] body = rebuiltBody == TOO_LARGE ? null : rebuiltBody;
        if (rebuiltBody == null) {
            try {
                body = MultipartBody.rebuild(request, tee.cap());
            } catch (IOException | ServletException | IllegalStateException e) {
                pending.skip(Reason.BODY_CONSUMED);
                return;
            }
        }
        if (body == null) {
            pending.skip(Reason.BODY_TOO_LARGE);
        } else {
            rebuilds.multipart().increment();
            pending.send(body, primaryStatus());
        }
    }

    /**
     * A form the container parsed: rebuilt from the parameters, unless the owner wants exact bytes
     * only, or the parameters cannot be told from the query's.
     */
    private void rebuildForm() {
        if (!rebuilds.forms()) {
            pending.skip(Reason.BODY_CONSUMED);
            return;
        }
        byte[] body;
        try {
            Charset charset = ContainerTraits.formCharset(request.getServletContext(), request.getContentType(),
                    formEncoding);
            body = FormBody.rebuild(request, charset, tee.declaredLength(), tee.cap());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // An unknown charset, a query the container read its own way, a value the charset cannot hold.
            pending.skip(Reason.BODY_CONSUMED);
            return;
        }
        if (body == null) {
            pending.skip(Reason.BODY_TOO_LARGE);
        } else {
            rebuilds.form().increment();
            pending.send(body, primaryStatus());
        }
    }

    /** Finishes an async request once the container completes it, whichever thread that is on. */
    private final class AsyncCompletion implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            try {
                finish(false);
            } finally {
                asyncBodies.remove(request, TeedBody.this);
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows once the container or the application completes the request.
        }

        @Override
        public void onError(AsyncEvent event) {
            if (event.getThrowable() instanceof IOException) {
                tee.failed();
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // startAsync() again drops the listeners: stay registered for the new cycle.
            event.getAsyncContext().addListener(this);
        }
    }

    @Override
    public String toString() {
        return "TeedBody[" + Objects.toString(request.getMethod()) + " " + request.getRequestURI() + "]";
    }
}
