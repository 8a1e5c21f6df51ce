package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The capped copy on its own: what it keeps, how much room it takes, and when it lets go. */
class BodyTeeTest {

    private static final int CAP = 1 << 20;

    @Test
    void shouldKeepAtMostTheCapOfAHundredMegabytesAndDropItWhenOver() {
        BodyTee tee = new BodyTee(CAP, -1);
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
        BodyTee atCap = new BodyTee(CAP, -1);
        BodyTee overCap = new BodyTee(CAP, -1);

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
    void shouldAllocateNothingBeforeTheFirstByteThenExactlyTheDeclaredLength() {
        BodyTee tee = new BodyTee(CAP, 5000);

        assertThat(tee.capacity()).isZero();
        tee.append(7);
        assertThat(tee.capacity()).isEqualTo(5000);
        tee.append(new byte[4999], 0, 4999);

        assertThat(tee.complete()).isTrue();
        assertThat(tee.sawEnd()).isTrue();
        assertThat(tee.bytes()).hasSize(5000).startsWith((byte) 7);
    }

    @Test
    void shouldBeIncompleteWhenTheStreamEndsBeforeTheDeclaredLength() {
        BodyTee tee = new BodyTee(CAP, 10);

        tee.append(new byte[4], 0, 4);
        tee.ended();

        assertThat(tee.sawEnd()).isTrue();
        assertThat(tee.complete()).isFalse();
    }

    @Test
    void shouldDropTheCopyOnAFailedReadAndIgnoreWhatFollows() {
        BodyTee tee = new BodyTee(CAP, -1);
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
        BodyTee tee = new BodyTee(CAP, 3);
        tee.append(new byte[] {1, 2, 3}, 0, 3);
        assertThat(tee.complete()).isTrue();

        tee.release();
        tee.append(4);

        assertThat(tee.capacity()).isZero();
        assertThat(tee.complete()).isFalse();
    }

    @Test
    void shouldBeCompleteAndEmptyForADeclaredEmptyBody() {
        BodyTee tee = new BodyTee(CAP, 0);

        assertThat(tee.complete()).isTrue();
        assertThat(tee.bytes()).isEmpty();
        assertThat(tee.capacity()).isZero();
    }
}
