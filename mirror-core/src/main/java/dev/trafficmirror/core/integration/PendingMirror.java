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
 * <p>When a chosen target compares answers ({@link #compares()}), the integration captures the
 * primary's answer and hands it over with {@link #comparePrimary} before {@code send}.
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

    /** The most body bytes of the primary's answer worth capturing: more cannot be compared. */
    int responseCaptureLimit();

    /**
     * Says where to get the primary's captured answer: {@link #send} calls {@code capture} once, on
     * its own thread, once the application has answered. Without it, comparing targets count the
     * request as {@code not_comparable}.
     */
    void comparePrimary(Supplier<PrimaryResponse> capture);

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
     * @param body the exact body bytes (empty when {@link #needsBody()} is false); taken over, not copied
     * @param primaryStatus the status the primary answered with (100 to 999; anything else means unknown)
     */
    void send(byte[] body, int primaryStatus);

    /**
     * Counts the request as not mirrored, for every target that had picked it.
     *
     * @throws IllegalArgumentException for {@link Reason#NONE}, which means "mirrored"
     */
    void skip(Reason reason);
}
