package dev.trafficmirror.core.integration;

import dev.trafficmirror.core.Reason;
import java.util.function.Supplier;

/**
 * A mirror decided for a request whose body has not been read yet: {@link MirrorIntegration#begin}
 * picked its targets from the request's head; the integration reads (tees) the body if
 * {@link #needsBody()}, lets the application answer, then calls {@link #send} with the body and the
 * primary's status, or {@link #skip} with the reason it cannot. Exactly one of them takes effect;
 * later calls are ignored. Neither blocks or throws.
 *
 * <p>When a chosen target wants the primary's answer ({@link #wantsPrimaryResponse()}: it compares
 * answers or records exchanges), the integration captures the primary's answer and hands it over
 * with {@link #comparePrimary} before {@code send}.
 *
 * <p>Implemented by the mirror; not meant to be implemented elsewhere.
 */
public interface PendingMirror {

    /** The {@code X-Mirror-Id} the copies will carry. */
    String id();

    /** The largest body that may be mirrored, in bytes; tee no more than this plus one. */
    long maxBodySize();

    /**
     * Whether any target picked wants the body. When none does (all are headers-only), do not read
     * or copy it: {@link #send(byte[], int)} an empty array, whatever the body's size.
     */
    boolean needsBody();

    /**
     * Whether a chosen target compares its answers with the primary's: only then is the primary's
     * answer worth capturing.
     */
    boolean compares();

    /**
     * Whether a chosen target wants the primary's answer: one that compares its answers with it
     * ({@link #compares()}) or one that records the exchange. Only then is the answer worth capturing.
     */
    boolean wantsPrimaryResponse();

    /** The most body bytes of the primary's answer worth capturing: more cannot be compared. */
    int responseCaptureLimit();

    /**
     * Says where to get the primary's captured answer: {@link #send} calls {@code capture} once, on
     * its own thread, once the application has answered. Without it, comparing targets count the
     * request as {@code not_comparable}, and recording targets record no answer.
     */
    void comparePrimary(Supplier<PrimaryResponse> capture);

    /**
     * Asks for room for {@code bytes} more body bytes that the integration is about to hold while it
     * reads (tees) the body, before the request is sent or skipped. They count against the mirror's
     * budget of buffered bytes ({@code Mirror.Builder.maxBufferedBytes}) with the bodies of copies
     * waiting to be sent, so that requests still being read cannot hold more than the budget
     * between them. Once granted, room stays reserved until it is given back with
     * {@link #releaseBody}, or until {@link #send} (which keeps what the body needs) or
     * {@link #skip} (which gives it all back).
     *
     * @return {@code false}, and nothing reserved, when the budget is spent (or the request is
     *     already sent or skipped): then hold nothing more, and {@link #skip} the request with
     *     {@link Reason#MEMORY_BUDGET}
     */
    boolean reserveBody(long bytes);

    /**
     * Gives back room reserved with {@link #reserveBody} that the integration no longer holds (it
     * dropped its copy of the body); ignored once the request is sent or skipped.
     */
    void releaseBody(long bytes);

    /**
     * Hands the request, with its complete body, to the targets' queues, without the primary's
     * status: targets restricted to some primary statuses skip it ({@code primary_status}).
     *
     * @param body the exact body bytes; taken over, not copied
     */
    void send(byte[] body);

    /**
     * Hands the request, with its complete body, to the targets' queues, once the primary has
     * answered.
     *
     * @param body the exact body bytes (empty when {@link #needsBody()} is false); taken over, not copied,
     *     with the room reserved for it
     * @param primaryStatus the status the primary answered with (100 to 999; anything else means unknown)
     */
    void send(byte[] body, int primaryStatus);

    /**
     * Counts the request as not mirrored, for every target that had picked it, and gives back the
     * room reserved for its body.
     *
     * @throws IllegalArgumentException for {@link Reason#NONE}, which means "mirrored"
     */
    void skip(Reason reason);
}
