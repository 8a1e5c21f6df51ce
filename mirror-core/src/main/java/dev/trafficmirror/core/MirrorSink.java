package dev.trafficmirror.core;

import java.io.IOException;

/**
 * Where mirrored copies go, when not to the mirror's built-in HTTP senders
 * ({@link Mirror.Builder#sink}): mirror-test's {@code RecordingSink} keeps them in memory for tests; a sink of your
 * own can write them to a file or a queue.
 *
 * <p>{@link #send} runs on one of the target's {@code maxConcurrent} sender threads, never on a
 * request thread nor on the mirror's shared I/O thread, and may block: while it does, that thread
 * sends nothing else. It receives the copy as it should appear on the wire: path and query
 * checked and spelled for the wire (relative to the target's base path), hop-by-hop
 * headers removed, {@code X-Mirror-Id} and {@code X-Forwarded-*} added, the target's
 * {@link HeaderRules} applied (a {@code Host} header is present only when they choose one other
 * than the target's), no body for a headers-only target. Any exception it throws is counted as a
 * failure ({@link IllegalArgumentException}: {@code invalid_request}) and never reaches the
 * application.
 */
@FunctionalInterface
public interface MirrorSink {

    /**
     * Delivers one copy to one target.
     *
     * @return the shadow's answer
     * @throws IOException when the copy could not be delivered or no answer came back
     */
    ShadowResponse send(MirrorTarget target, MirrorRequest request) throws IOException;

    /**
     * Called once by {@link Mirror#close} after the drain deadline: abort whatever is still in
     * flight and release resources.
     */
    default void close() {
    }
}
