package dev.trafficmirror.core.integration;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the primary answered its client, as captured for comparison: status, headers, the body up to
 * the capture limit, and how long the primary took.
 *
 * <p>A capture says how much of the answer it holds ({@link #capture()}): the whole answer; the
 * status and headers with an incomplete body (over the limit, or written where the capture could
 * not see it); only the status, when the container wrote the answer itself ({@code sendError},
 * {@code sendRedirect}); or nothing reliable, when the application failed before it answered.
 */
public final class PrimaryResponse {

    /** How much of the primary's answer a capture holds. */
    public enum Capture {
        /** Status, headers and the whole body. */
        COMPLETE,
        /** Status and headers; the body is incomplete, so it cannot be compared. */
        BODY_INCOMPLETE,
        /**
         * The container wrote the answer ({@code sendError}, {@code sendRedirect}): its body and most
         * headers are the container's, not the application's, so only the status and the
         * {@code Location} header are compared.
         */
        CONTAINER_ANSWER,
        /**
         * Nothing reliable: the application failed (threw) before it answered, and the container's
         * answer was not known yet when the capture was taken. Nothing is compared.
         */
        UNKNOWN
    }

    private static final byte[] NO_BODY = new byte[0];

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final List<ByteBuffer> parts;
    private byte[] body;
    private final int bodyLength;
    private final Capture capture;
    private final String note;
    private final Duration latency;

    private PrimaryResponse(Builder builder) {
        this.status = builder.status;
        this.headers = List.copyOf(builder.headers);
        this.capture = builder.capture;
        boolean complete = capture == Capture.COMPLETE;
        this.parts = complete ? builder.parts : null;
        this.body = complete ? builder.body : NO_BODY;
        this.bodyLength = complete ? builder.bodyLength : 0;
        this.note = builder.note;
        this.latency = builder.latency;
    }

    /**
     * Starts a capture of an answer with the given status.
     *
     * @throws IllegalArgumentException if the status is not a 3-digit HTTP status
     */
    public static Builder builder(int status) {
        return new Builder(status);
    }

    /** The HTTP status code the client got. */
    public int status() {
        return status;
    }

    /** The response headers in order, as far as the capture could see them. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** A read-only view of the captured body bytes; empty unless {@link #capture()} is COMPLETE. */
    public ByteBuffer body() {
        return ByteBuffer.wrap(bodyArray(), 0, bodyLength).slice().asReadOnlyBuffer();
    }

    /** A copy of the captured body bytes; empty unless {@link #capture()} is COMPLETE. */
    public byte[] bodyBytes() {
        return Arrays.copyOf(bodyArray(), bodyLength);
    }

    /** The number of captured body bytes. */
    public int bodyLength() {
        return bodyLength;
    }

    /** How much of the answer the capture holds. */
    public Capture capture() {
        return capture;
    }

    /** Why the capture is not complete, or {@code null} when it is. */
    public String note() {
        return note;
    }

    /** How long the primary took, from the request reaching the capture to the answer's completion. */
    public Duration latency() {
        return latency;
    }

    /** The body, its parts joined on first use: off the request thread, which only copied them once. */
    private synchronized byte[] bodyArray() {
        if (body == null) {
            byte[] joined = new byte[bodyLength];
            int at = 0;
            for (ByteBuffer part : parts) {
                int length = part.remaining();
                part.duplicate().get(joined, at, length);
                at += length;
            }
            body = joined;
        }
        return body;
    }

    @Override
    public String toString() {
        return "PrimaryResponse{" + status + ", " + bodyLength + " bytes, " + capture
                + (note == null ? "" : " (" + note + ")") + ", " + latency.toNanos() / 1000 + " us}";
    }

    /** Builds a {@link PrimaryResponse}. */
    public static final class Builder {
        private final int status;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private byte[] body = NO_BODY;
        private List<ByteBuffer> parts;
        private int bodyLength;
        private Capture capture = Capture.COMPLETE;
        private String note;
        private Duration latency = Duration.ZERO;

        private Builder(int status) {
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("status must be a 3-digit HTTP status, was " + status);
            }
            this.status = status;
        }

        /** Adds one header value; call again for repeated headers. */
        public Builder header(String name, String value) {
            headers.add(Map.entry(Objects.requireNonNull(name, "header name"), Objects.requireNonNull(value, "header value")));
            return this;
        }

        /** Adds headers in order. */
        public Builder headers(List<Map.Entry<String, String>> more) {
            for (Map.Entry<String, String> header : more) {
                header(header.getKey(), header.getValue());
            }
            return this;
        }

        /** The whole body. The array is taken over, not copied: it must not be changed afterwards. */
        public Builder body(byte[] bytes) {
            return body(bytes, bytes.length);
        }

        /**
         * The whole body: the first {@code length} bytes of {@code bytes}, taken over, not copied, so
         * that a capture buffer can be handed over without trimming it on the request thread.
         */
        public Builder body(byte[] bytes, int length) {
            Objects.requireNonNull(bytes, "body");
            if (length < 0 || length > bytes.length) {
                throw new IllegalArgumentException("body length " + length + " is outside 0.." + bytes.length);
            }
            this.body = bytes;
            this.parts = null;
            this.bodyLength = length;
            return this;
        }

        /**
         * The whole body, in parts (each from its position to its limit), taken over, not copied:
         * they are joined only when the body is first compared, on a mirror thread, so that a capture
         * hands its buffers over without copying them again on the request thread.
         */
        public Builder body(List<ByteBuffer> bodyParts) {
            long length = 0;
            for (ByteBuffer part : bodyParts) {
                length += part.remaining();
            }
            if (length > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("body of " + length + " bytes is too large");
            }
            this.parts = List.copyOf(bodyParts);
            this.body = null;
            this.bodyLength = (int) length;
            return this;
        }

        /** The body is incomplete and must not be compared; {@code why} says why, for the reader. */
        public Builder bodyIncomplete(String why) {
            return capture(Capture.BODY_INCOMPLETE, why);
        }

        /** Nothing about the answer is reliable ({@code why}: e.g. the application threw); nothing is compared. */
        public Builder unknown(String why) {
            return capture(Capture.UNKNOWN, why);
        }

        /** The container wrote the answer ({@code how}: e.g. {@code "sendError"}); only the status is compared. */
        public Builder containerAnswer(String how) {
            return capture(Capture.CONTAINER_ANSWER, how);
        }

        private Builder capture(Capture kind, String why) {
            this.capture = kind;
            this.note = Objects.requireNonNull(why, "why");
            return this;
        }

        /** How long the primary took; default zero (unknown). */
        public Builder latency(Duration latency) {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative, was " + latency);
            }
            this.latency = latency;
            return this;
        }

        /** Builds the capture. */
        public PrimaryResponse build() {
            return new PrimaryResponse(this);
        }
    }
}
