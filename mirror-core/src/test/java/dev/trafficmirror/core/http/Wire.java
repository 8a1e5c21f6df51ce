package dev.trafficmirror.core.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.TreeSet;

/** Bytes as they travel: spelled from text, joined from buffers, handed to a {@link ResponseReader} in pieces. */
final class Wire {

    /** Bytes around each piece that the reader must never take: a piece is a window into a larger array. */
    private static final int PADDING = 7;

    private Wire() {
    }

    /** What a reader did with the pieces it was given. */
    record Fed(boolean completeBeforeEnd, byte[] unread) {
    }

    /** One byte per character: the text is ISO-8859-1, as HTTP heads are. */
    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The buffers' remaining bytes joined, without consuming them. */
    static byte[] bytes(ByteBuffer... buffers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer buffer : buffers) {
            ByteBuffer view = buffer.duplicate();
            byte[] part = new byte[view.remaining()];
            view.get(part);
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Every position of a wire: one-byte pieces. */
    static Collection<Integer> everyByte(byte[] wire) {
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int i = 1; i < wire.length; i++) {
            cuts.add(i);
        }
        return cuts;
    }

    /**
     * Hands {@code wire} to the reader cut at {@code cuts} (positions outside the wire are ignored)
     * and, when the reader still wants more after the last piece, tells it the stream ended.
     *
     * @return whether the response was complete before the end of the stream, and the bytes it left
     */
    static Fed feed(ResponseReader reader, byte[] wire, Collection<Integer> cuts) throws IOException {
        TreeSet<Integer> bounds = new TreeSet<>();
        for (int cut : cuts) {
            if (cut > 0 && cut < wire.length) {
                bounds.add(cut);
            }
        }
        bounds.add(wire.length);
        ByteArrayOutputStream unread = new ByteArrayOutputStream();
        boolean complete = false;
        int from = 0;
        int piece = 0;
        for (int to : bounds) {
            if (complete) {
                unread.write(wire, from, to - from);
            } else {
                ByteBuffer in = window(wire, from, to, piece++ % 2 == 0);
                complete = reader.read(in);
                if (complete) {
                    unread.write(in.array(), in.arrayOffset() + in.position(), in.remaining());
                }
            }
            from = to;
        }
        if (!complete) {
            reader.endOfStream();
        }
        return new Fed(complete, unread.toByteArray());
    }

    /**
     * The piece inside a larger array of junk, either as a slice (array offset past the junk) or
     * with its position past the junk: the reader must honour both.
     */
    private static ByteBuffer window(byte[] wire, int from, int to, boolean slice) {
        byte[] padded = new byte[to - from + 2 * PADDING];
        Arrays.fill(padded, (byte) '#');
        System.arraycopy(wire, from, padded, PADDING, to - from);
        ByteBuffer buffer = ByteBuffer.wrap(padded, PADDING, to - from);
        return slice ? buffer.slice() : buffer;
    }
}
