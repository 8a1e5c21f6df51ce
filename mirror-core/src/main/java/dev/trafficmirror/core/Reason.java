package dev.trafficmirror.core;

import java.util.Locale;

/**
 * Why a mirrored copy ended as it did: the {@code reason} tag of the {@code mirror.requests}
 * counter. Each reason belongs to exactly one {@link Outcome}.
 */
public enum Reason {
    /** The shadow answered. */
    NONE(Outcome.COMPLETED),

    /** Not picked by the target's sampling. */
    SAMPLED_OUT(Outcome.SKIPPED),
    /** Excluded by a path, method or header condition. */
    EXCLUDED(Outcome.SKIPPED),
    /** The request already carried {@code X-Mirror-Id}: it is itself a mirror. */
    LOOP(Outcome.SKIPPED),
    /** Mirroring is paused. */
    DISABLED(Outcome.SKIPPED),
    /** The body is larger than the configured maximum. */
    BODY_TOO_LARGE(Outcome.SKIPPED),
    /** The client went away before the body was read completely. */
    CLIENT_ABORTED(Outcome.SKIPPED),
    /**
     * The application did not read the whole body, and the rest could not be read after it without
     * changing the exchange (an asynchronous request, non-blocking reads, {@code Expect:
     * 100-continue}) or at all (Tomcat 11 closes the input once a response is complete, and the rest
     * had not arrived by then).
     */
    BODY_UNAVAILABLE(Outcome.SKIPPED),
    /**
     * The container read the body itself and never handed its bytes to the application, and the
     * body was not rebuilt: form parameters when only exact bytes are wanted (mirror-servlet's
     * {@code MirrorFilter.Forms.SKIP}) or when they cannot be told from the query's, or a form or
     * multipart body the container could not parse.
     */
    BODY_CONSUMED(Outcome.SKIPPED),
    /**
     * The request cannot be reproduced safely and faithfully: a path that could leave the target's
     * base path or be read differently by the shadow (dot segments, backslashes, invalid
     * percent-encoding, non-ASCII), control characters in the path, query or a header value, or a
     * request line or header section over the limits.
     */
    INVALID_REQUEST(Outcome.SKIPPED),
    /** The target takes copies only of requests the primary answered otherwise (e.g. only 2xx). */
    PRIMARY_STATUS(Outcome.SKIPPED),
    /** The target failed repeatedly and is cooling down. */
    CIRCUIT_OPEN(Outcome.SKIPPED),

    /** All of the target's connections or sender threads were busy and its queue was full. */
    QUEUE_FULL(Outcome.DROPPED),
    /**
     * Bodies already fill the memory budget ({@code maxBufferedBytes}): those of copies waiting to be
     * sent, and those of requests still being read.
     */
    MEMORY_BUDGET(Outcome.DROPPED),
    /** The mirror was closing or closed. */
    SHUTDOWN(Outcome.DROPPED),
    /**
     * A recording target's file system had no room for the record (a full disk or quota): the record
     * is not written, and what was written before it stays whole.
     */
    DISK_FULL(Outcome.DROPPED),
    /**
     * A recording target's own buffer was full, e.g. the Kafka producer's {@code buffer.memory}: the
     * broker takes records more slowly than they come.
     */
    BUFFER_FULL(Outcome.DROPPED),
    /**
     * A recording target's broker could not be reached: no metadata for the topic, or the record
     * expired in the producer's buffer before a broker took it.
     */
    BROKER_UNAVAILABLE(Outcome.DROPPED),

    /** No answer within the timeout. */
    TIMEOUT(Outcome.FAILED),
    /** The connection could not be made: refused, unknown host, unreachable. */
    CONNECT(Outcome.FAILED),
    /** The TLS handshake failed, for example on an untrusted certificate. */
    TLS(Outcome.FAILED),
    /** The connection broke while sending or receiving: reset, truncated response. */
    IO(Outcome.FAILED),
    /**
     * An unexpected error: thrown by a sink, a custom sampling or condition, or while the copy was
     * being made. Such a copy may never have been sent.
     */
    ERROR(Outcome.FAILED);

    private final Outcome outcome;
    private final String tag = name().toLowerCase(Locale.ROOT);

    Reason(Outcome outcome) {
        this.outcome = outcome;
    }

    /** The outcome this reason belongs to. */
    public Outcome outcome() {
        return outcome;
    }

    /** The value of the {@code reason} metric tag. */
    public String tag() {
        return tag;
    }
}
