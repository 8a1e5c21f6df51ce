package dev.trafficmirror.servlet;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * The request as the application sees it: identical, except that the body bytes it reads, through
 * {@link #getInputStream()} or {@link #getReader()}, are also teed. The reader decodes the teed
 * bytes, so the shadow gets the original bytes, never re-encoded text.
 */
final class TeeRequest extends HttpServletRequestWrapper {

    private static final int DRAIN_CHUNK = 8192;

    private final BodyTee tee;
    private TeeInputStream stream;
    private BufferedReader reader;
    private boolean streamHandedOut;

    TeeRequest(HttpServletRequest request, BodyTee tee) {
        super(request);
        this.tee = tee;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (reader != null) {
            throw new IllegalStateException("getReader() has already been called for this request");
        }
        streamHandedOut = true;
        return stream();
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (reader == null) {
            if (streamHandedOut) {
                throw new IllegalStateException("getInputStream() has already been called for this request");
            }
            reader = new BufferedReader(new InputStreamReader(stream(), charset()));
        }
        return reader;
    }

    private TeeInputStream stream() throws IOException {
        if (stream == null) {
            stream = new TeeInputStream(super.getInputStream(), tee);
        }
        return stream;
    }

    private Charset charset() throws UnsupportedEncodingException {
        String encoding = getCharacterEncoding();
        if (encoding == null) {
            return StandardCharsets.ISO_8859_1;
        }
        try {
            return Charset.forName(encoding);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UnsupportedEncodingException(encoding);
        }
    }

    BodyTee tee() {
        return tee;
    }

    /**
     * Reads what the application left unread, up to one byte past the cap, so the shadow gets the
     * whole body. Only on the request thread, before the response is completed.
     */
    void drain() throws IOException {
        TeeInputStream in = stream();
        byte[] chunk = new byte[DRAIN_CHUNK];
        while (!tee.complete() && !tee.overflowed() && !tee.hasFailed() && in.read(chunk, 0, chunk.length) >= 0) {
            // every byte read is teed by the stream
        }
    }
}
