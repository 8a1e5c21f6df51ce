package dev.trafficmirror.core.integration;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.record.RecordedExchange;
import io.micrometer.core.instrument.Counter;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a container integration, such as mirror-servlet's {@code MirrorFilter}, needs of a
 * {@link Mirror} besides {@link Mirror#submit}: deciding on a request's head before its body is
 * read, so that a request no target takes costs nothing; handing over the primary's captured answer
 * for comparison; and the limits of what is worth capturing. Get it with {@link Mirror#integration()};
 * applications that only configure a mirror never need it.
 *
 * <p>Implemented by the mirror; not meant to be implemented elsewhere. Thread-safe; nothing here
 * blocks or throws into the caller.
 */
public interface MirrorIntegration {

    /**
     * Decides, from a request's head (its body is ignored), which targets take it: the loop guard,
     * the pause switch, whether it can be reproduced, the conditions and each target's sampling.
     * Skips are counted here.
     *
     * @return the pending mirror to complete with the body, or {@code null} when no target takes the
     *     request; then nothing more needs doing, not even reading the body
     */
    PendingMirror begin(MirrorRequest head);

    /**
     * Like {@link #begin(MirrorRequest)}, for integrations that can read one header cheaply and
     * would rather not snapshot a whole head that no target takes: when every target samples at
     * random or by counter and nothing is conditional (the defaults), the targets sample first and
     * {@code head} is only asked for when one of them takes the request. A request no target samples
     * is then counted {@code sampled_out} without being looked at any further; only the loop guard,
     * the pause switch and shutdown come before.
     *
     * @param header the request's value of a header, by case-insensitive name, or {@code null}
     * @param head the request's head, asked for at most once
     */
    PendingMirror begin(Function<String, String> header, Supplier<MirrorRequest> head);

    /**
     * Mirrors a complete request, like {@link Mirror#submit(MirrorRequest, int)}, and compares the
     * answers of comparing targets with the primary's answer {@code primary}.
     *
     * @param primary what the primary answered (its status included); {@code null} when it was not captured
     */
    void submit(MirrorRequest request, PrimaryResponse primary);

    /**
     * Mirrors a recorded exchange again (mirror-replay): its request, which was a copy already and so
     * carries {@code X-Mirror-Id}, is taken as a request of its own instead of being refused by the
     * loop guard, and its copies carry the recorded id, so that a replayed answer is found under the
     * same id as the recorded one. Comparing targets compare their answers with the recorded answer
     * of the primary. Everything else is as for {@link #submit(MirrorRequest, PrimaryResponse)}:
     * the pause switch, conditions, sampling, bounds, breaker and counts.
     */
    void replay(RecordedExchange exchange);

    /** The largest request body that is mirrored, in bytes. */
    long maxBodySize();

    /** The most body bytes of an answer, the primary's or a shadow's, that are kept for comparing. */
    int responseCaptureLimit();

    /**
     * A counter of the integration's own, registered where the mirror's meters are, tagged like them
     * ({@code mirror=<name>}) and removed with them when the mirror closes.
     *
     * @param tags more tags, as name, value pairs
     */
    Counter counter(String name, String description, String... tags);
}
