package dev.trafficmirror.core.compare.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Lets one event through per interval and says how many it stands for, so logs stay readable under load. */
final class RateLimit {

    private final long intervalNanos;
    private final AtomicLong nextAt = new AtomicLong(System.nanoTime());
    private final AtomicLong unreported = new AtomicLong();

    RateLimit(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** @return how many events this one stands for (itself included), or 0 when it is to stay quiet */
    long tryPass() {
        long events = unreported.incrementAndGet();
        long now = System.nanoTime();
        long due = nextAt.get();
        if (now - due >= 0 && nextAt.compareAndSet(due, now + intervalNanos)) {
            unreported.addAndGet(-events);
            return events;
        }
        return 0;
    }
}
