package dev.trafficmirror.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Exactly the percentage, counted: request n (from 1) is mirrored when floor(n * p) exceeds
 * floor((n - 1) * p), p being the share as a fraction. In fixed point, so that 10 % is exactly 10
 * of every 100, not 9 or 11 after rounding errors.
 */
final class CounterSampling implements Sampling {

    private final AtomicLong seen = new AtomicLong();

    @Override
    public boolean sample(MirrorRequest request, double percentage) {
        long perMillion = MirrorTarget.perMillion(percentage);
        // The pattern repeats every million requests; reducing keeps the products far from overflow.
        long n = Math.floorMod(seen.getAndIncrement(), MirrorTarget.ONE_MILLION);
        return (n + 1) * perMillion / MirrorTarget.ONE_MILLION > n * perMillion / MirrorTarget.ONE_MILLION;
    }

    @Override
    public String toString() {
        return "counter";
    }
}
