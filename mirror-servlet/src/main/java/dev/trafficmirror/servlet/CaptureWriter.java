package dev.trafficmirror.servlet;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * The container's writer with the text the application writes also encoded, in the response's
 * charset, into a {@link CaptureBuffer}. All text goes through the container's own writer, so the
 * client gets exactly what it would without the capture: the container still encodes, buffers,
 * sets the charset and flushes as it does. {@code println}, {@code printf} and the rest of
 * {@link PrintWriter} reach the container through {@link Tee}.
 */
final class CaptureWriter extends PrintWriter {

    private final PrintWriter container;
    private final String lineSeparator;

    /** @param lineSeparator what the container's own {@code println()} writes */
    CaptureWriter(PrintWriter container, Charset charset, CaptureBuffer capture, String lineSeparator) {
        super(new Tee(container, charset, capture), false);
        this.container = container;
        this.lineSeparator = lineSeparator;
    }

    /** Ends the line as the container's writer does; every other {@code println} ends with this one. */
    @Override
    public void println() {
        write(lineSeparator);
    }

    /** The container's writer keeps its own error state; ours never has one of its own. */
    @Override
    public boolean checkError() {
        return container.checkError();
    }

    /** Hands every call to the container's writer, then encodes what it got into the capture. */
    private static final class Tee extends Writer {
        private static final int CHUNK = 2048;

        private final PrintWriter container;
        private final CaptureBuffer capture;
        private final CharsetEncoder encoder;
        private final ByteBuffer encoded = ByteBuffer.allocate(2 * CHUNK);
        /** Encoders are fast on arrays and slow on strings: text is copied here first. */
        private final char[] chars = new char[CHUNK];
        /** A high surrogate whose low half comes in the next write. */
        private char pendingHigh;

        Tee(PrintWriter container, Charset charset, CaptureBuffer capture) {
            super(container);
            this.container = container;
            this.capture = capture;
            // Containers replace what their charset cannot encode, so the capture does the same.
            this.encoder = charset.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
        }

        @Override
        public void write(int c) {
            container.write(c);
            chars[0] = (char) c;
            capture(CharBuffer.wrap(chars, 0, 1));
        }

        @Override
        public void write(char[] text, int offset, int length) {
            container.write(text, offset, length);
            capture(CharBuffer.wrap(text, offset, length));
        }

        @Override
        public void write(String text, int offset, int length) {
            container.write(text, offset, length);
            for (int at = offset, end = offset + length; at < end && !capture.overflowed(); at += CHUNK) {
                int n = Math.min(CHUNK, end - at);
                text.getChars(at, at + n, chars, 0);
                capture(CharBuffer.wrap(chars, 0, n));
            }
        }

        private void capture(CharBuffer text) {
            if (capture.overflowed()) {
                return;
            }
            CharBuffer input = text;
            if (pendingHigh != 0) {
                input = CharBuffer.allocate(text.remaining() + 1).put(pendingHigh).put(text).flip();
                pendingHigh = 0;
            }
            CoderResult result;
            do {
                result = encoder.encode(input, encoded, false);
                encoded.flip();
                capture.append(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
                encoded.clear();
            } while (result.isOverflow());
            if (input.hasRemaining()) {
                pendingHigh = input.get();
            }
        }

        @Override
        public void flush() {
            container.flush();
        }

        @Override
        public void close() {
            container.close();
        }
    }
}
