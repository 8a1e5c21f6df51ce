package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.integration.PendingMirror;
import dev.trafficmirror.test.RecordingSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The capped copy on its own: what it keeps, how much room it takes, and when it lets go, within
 * the byte budget of a real mirror.
 */
class BodyTeeTest {

    private static final int CAP = 1 << 20;
    private static final long BUDGET = 4L << 20;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Mirror mirror = Mirror.builder().target(MirrorTarget.of("shadow", "http://127.0.0.1:9"))
            .sink(new RecordingSink()).maxBufferedBytes(BUDGET).maxBodySize(CAP).meterRegistry(registry).build();

    @AfterEach
    void stop() {
        mirror.close(Duration.ZERO);
    }

    private PendingMirror pending() {
        return mirror.integration().begin(MirrorRequest.builder("POST", "/upload").build());
    }

    private BodyTee tee(long declaredLength) {
        return new BodyTee(CAP, declaredLength, pending());
    }

    /** Body bytes the mirror holds room for: the gauge of its byte budget. */
    private double buffered() {
        return registry.get("mirror.buffered").gauge().value();
    }

    @Test
    void shouldKeepAtMostTheCapOfAHundredMegabytesAndDropItWhenOver() {
        BodyTee tee = tee(-1);
        Random random = new Random(1);
        byte[] piece = new byte[70_000];
        long fed = 0;
        int largest = 0;
        while (fed < 100L << 20) {
            int length = 1 + random.nextInt(piece.length);
            tee.append(piece, 0, length);
            fed += length;
            largest = Math.max(largest, tee.capacity());
            assertThat(tee.capacity()).isLessThanOrEqualTo(CAP);
        }
        tee.ended();

        assertThat(largest).isPositive();
        assertThat(tee.overflowed()).isTrue();
        assertThat(tee.capacity()).isZero();
        assertThat(tee.complete()).isFalse();
    }

    @Test
    void shouldKeepABodyOfExactlyTheCapAndNotOneByteMore() {
        byte[] body = new byte[CAP + 1];
        new Random(2).nextBytes(body);
        BodyTee atCap = tee(-1);
        BodyTee overCap = tee(-1);

        for (int at = 0; at < CAP; at += 1000) {
            atCap.append(body, at, Math.min(1000, CAP - at));
        }
        atCap.ended();
        overCap.append(body, 0, CAP);
        overCap.append(body[CAP]);

        assertThat(atCap.complete()).isTrue();
        assertThat(atCap.bytes()).isEqualTo(Arrays.copyOf(body, CAP));
        assertThat(atCap.capacity()).isEqualTo(CAP);
        assertThat(overCap.overflowed()).isTrue();
        assertThat(overCap.capacity()).isZero();
    }

    @Test
    void shouldAllocateNothingBeforeTheFirstByteThenGrowAsBytesArriveUpToTheDeclaredLength() {
        BodyTee tee = tee(CAP);

        assertThat(tee.capacity()).isZero();
        tee.append(7);
        assertThat(tee.capacity()).as("a small first chunk, whatever the declared length").isEqualTo(8192);
        assertThat(buffered()).isEqualTo(8192);
        tee.append(new byte[100_000], 0, 100_000);
        assertThat(tee.capacity()).isEqualTo(100_001);
        tee.append(new byte[CAP - 100_001], 0, CAP - 100_001);

        assertThat(tee.capacity()).as("never past the declared length").isEqualTo(CAP);
        assertThat(buffered()).isEqualTo(CAP);
        assertThat(tee.complete()).isTrue();
        assertThat(tee.sawEnd()).isTrue();
        assertThat(tee.bytes()).hasSize(CAP).startsWith((byte) 7);
        tee.release();
        assertThat(buffered()).isZero();
    }

    @Test
    void shouldGiveUpTheCopyWhenTheBudgetHasNoRoomAndKeepTheOthers() {
        BodyTee[] tees = new BodyTee[5];
        for (int i = 0; i < tees.length; i++) {
            tees[i] = tee(CAP);
            tees[i].append(new byte[CAP], 0, CAP);
        }

        assertThat(Arrays.stream(tees).filter(BodyTee::complete)).hasSize(4);
        assertThat(tees[4].overBudget()).isTrue();
        assertThat(tees[4].capacity()).isZero();
        assertThat(tees[4].keeping()).isFalse();
        assertThat(buffered()).isEqualTo(BUDGET);
        tees[0].failed();
        assertThat(buffered()).isEqualTo(BUDGET - CAP);
        BodyTee later = tee(-1);
        later.append(new byte[CAP], 0, CAP);
        assertThat(later.overBudget()).isFalse();
        assertThat(buffered()).isEqualTo(BUDGET);
    }

    @Test
    void shouldBeIncompleteWhenTheStreamEndsBeforeTheDeclaredLength() {
        BodyTee tee = tee(10);

        tee.append(new byte[4], 0, 4);
        tee.ended();

        assertThat(tee.sawEnd()).isTrue();
        assertThat(tee.complete()).isFalse();
    }

    @Test
    void shouldDropTheCopyOnAFailedReadAndIgnoreWhatFollows() {
        BodyTee tee = tee(-1);
        tee.append(new byte[3000], 0, 3000);

        tee.failed();
        tee.append(new byte[10], 0, 10);
        tee.ended();

        assertThat(tee.hasFailed()).isTrue();
        assertThat(tee.capacity()).isZero();
        assertThat(tee.complete()).isFalse();
    }

    @Test
    void shouldHoldNothingOnceReleased() {
        BodyTee tee = tee(3);
        tee.append(new byte[] {1, 2, 3}, 0, 3);
        assertThat(tee.complete()).isTrue();

        tee.release();
        tee.append(4);

        assertThat(tee.capacity()).isZero();
        assertThat(tee.complete()).isFalse();
    }

    @Test
    void shouldBeCompleteAndEmptyForADeclaredEmptyBody() {
        BodyTee tee = tee(0);

        assertThat(tee.complete()).isTrue();
        assertThat(tee.bytes()).isEmpty();
        assertThat(tee.capacity()).isZero();
    }
}
