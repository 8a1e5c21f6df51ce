package dev.trafficmirror.core;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Each request independently, with the percentage as its probability. */
final class RandomSampling implements Sampling {

    private final Supplier<? extends RandomGenerator> random;

    /** @param random where the randomness comes from; seeded in tests */
    RandomSampling(Supplier<? extends RandomGenerator> random) {
        this.random = random;
    }

    @Override
    public boolean sample(MirrorRequest request, double percentage) {
        long perMillion = MirrorTarget.perMillion(percentage);
        return perMillion >= MirrorTarget.ONE_MILLION
                || (perMillion > 0 && random.get().nextLong(MirrorTarget.ONE_MILLION) < perMillion);
    }

    @Override
    public String toString() {
        return "random";
    }
}
