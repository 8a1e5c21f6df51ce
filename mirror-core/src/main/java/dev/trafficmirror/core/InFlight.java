package dev.trafficmirror.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link Mirror} holds right now: copies accepted and not yet finished, and the body bytes
 * they keep alive, bounded by a budget. A body shared by several targets is counted once.
 */
final class InFlight {

    private final long maxBufferedBytes;
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final AtomicLong peakBufferedBytes = new AtomicLong();
    private final AtomicInteger copies = new AtomicInteger();
    private final Object drained = new Object();

    InFlight(long maxBufferedBytes) {
        this.maxBufferedBytes = maxBufferedBytes;
    }

    /** Reserves room for a body; {@code false} (and nothing reserved) when the budget is full. */
    boolean tryReserve(long bytes) {
        while (true) {
            long current = bufferedBytes.get();
            if (current + bytes > maxBufferedBytes) {
                return false;
            }
            if (bufferedBytes.compareAndSet(current, current + bytes)) {
                if (current + bytes > peakBufferedBytes.get()) {
                    peakBufferedBytes.accumulateAndGet(current + bytes, Math::max);
                }
                return true;
            }
        }
    }

    /**
     * Turns a reservation of {@code held} bytes into one of {@code bytes}; {@code false} (and the
     * held bytes released) when the budget cannot hold the difference.
     */
    boolean tryReplace(long held, long bytes) {
        if (bytes <= held) {
            release(held - bytes);
            return true;
        }
        if (tryReserve(bytes - held)) {
            return true;
        }
        release(held);
        return false;
    }

    void release(long bytes) {
        bufferedBytes.addAndGet(-bytes);
    }

    void copyStarted() {
        copies.incrementAndGet();
    }

    void copyFinished() {
        if (copies.decrementAndGet() == 0) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /** Waits until no copy is in flight; {@code false} if some still are at the deadline. */
    boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (copies.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drained, left);
            }
        }
        return true;
    }

    int copies() {
        return copies.get();
    }

    long bufferedBytes() {
        return bufferedBytes.get();
    }

    /** The most body bytes ever held at once: the budget's high-water mark. */
    long peakBufferedBytes() {
        return peakBufferedBytes.get();
    }

    /**
     * Releases a body's reservation when the last of the copies sharing it finishes.
     */
    final class SharedBody {
        private final long bytes;
        private final AtomicInteger holders;

        SharedBody(long bytes, int holders) {
            this.bytes = bytes;
            this.holders = new AtomicInteger(holders);
        }

        void done() {
            if (holders.decrementAndGet() == 0) {
                release(bytes);
            }
        }
    }
}
