package dev.trafficmirror.test;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorSink;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A sink that keeps every copy in memory instead of sending it, for tests of code that uses a
 * {@link Mirror}:
 *
 * <pre>{@code
 * RecordingSink recorded = new RecordingSink();
 * Mirror mirror = Mirror.builder().target("http://shadow").sink(recorded).build();
 * ... exercise the application ...
 * List<RecordingSink.Recorded> copies = recorded.await(1, Duration.ofSeconds(5));
 * }</pre>
 */
public final class RecordingSink implements MirrorSink {

    /** One recorded copy: the target it was meant for and the request as it would go on the wire. */
    public record Recorded(MirrorTarget target, MirrorRequest request) {
    }

    private final Function<MirrorRequest, ShadowResponse> answer;
    private final List<Recorded> recorded = new ArrayList<>();

    /** A sink that answers every copy with 200. */
    public RecordingSink() {
        this(request -> ShadowResponse.of(200));
    }

    /** A sink that answers each copy with what {@code answer} returns. */
    public RecordingSink(Function<MirrorRequest, ShadowResponse> answer) {
        this.answer = Objects.requireNonNull(answer, "answer");
    }

    @Override
    public ShadowResponse send(MirrorTarget target, MirrorRequest request) {
        synchronized (recorded) {
            recorded.add(new Recorded(target, request));
            recorded.notifyAll();
        }
        return answer.apply(request);
    }

    /** Everything recorded so far, in arrival order. */
    public List<Recorded> recorded() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /**
     * Waits until at least {@code count} copies have arrived.
     *
     * @return everything recorded so far (at least {@code count} entries)
     * @throws AssertionError if fewer arrived within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public List<Recorded> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (recorded) {
            while (recorded.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " mirrored requests within " + timeout
                            + " but got " + recorded.size() + ": " + recorded);
                }
                recorded.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(recorded);
        }
    }

    /** Forgets everything recorded so far. */
    public void clear() {
        synchronized (recorded) {
            recorded.clear();
        }
    }
}
