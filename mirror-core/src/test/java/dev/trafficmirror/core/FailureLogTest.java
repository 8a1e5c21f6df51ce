package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FailureLogTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Pattern TOTAL = Pattern.compile(": (\\d+) failed cop");

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final FailureLog log = new FailureLog("shadow", INTERVAL, clock::get, lines::add);

    @Test
    void shouldReportTheFirstFailureAtOnce() {
        log.failed(Reason.CONNECT, new ConnectException("Connection refused"));

        assertThat(lines).singleElement().asString()
                .contains("'shadow'", "1 failed copy", "connect=1", "java.net.ConnectException: Connection refused");
    }

    @Test
    void shouldWriteOneLinePerIntervalCountingEveryFailureByReason() {
        log.failed(Reason.CONNECT, new ConnectException("refused"));
        for (int i = 0; i < 1000; i++) {
            clock.addAndGet(INTERVAL.toNanos() / 2000);
            log.failed(i % 4 == 0 ? Reason.TIMEOUT : Reason.CONNECT, new SocketTimeoutException("timeout " + i));
        }
        assertThat(lines).as("half an interval later").hasSize(1);

        clock.addAndGet(INTERVAL.toNanos() / 2);
        log.failed(Reason.IO, new java.io.IOException("reset"));

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("1001 failed copies", "timeout=250", "connect=750", "io=1", "latest: java.io.IOException: reset");
    }

    @Test
    void shouldReportWhatIsLeftWhenFlushedAndNothingWhenNothingIsLeft() {
        log.failed(Reason.TLS, new javax.net.ssl.SSLHandshakeException("untrusted"));
        log.failed(Reason.TLS, new javax.net.ssl.SSLHandshakeException("untrusted"));
        log.failed(Reason.TLS, new javax.net.ssl.SSLHandshakeException("untrusted"));

        log.flush();
        log.flush();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("failed before closing", "2 failed copies", "tls=2");
    }

    @Test
    void shouldIgnoreReasonsThatAreNotFailures() {
        log.failed(Reason.SHUTDOWN, new java.io.IOException("Canceled"));
        log.flush();

        assertThat(lines).isEmpty();
    }

    @Test
    void shouldNeitherLoseNorDoubleCountFailuresFromManyThreads() throws Exception {
        FailureLog realClock = new FailureLog("shadow", Duration.ofMillis(1), System::nanoTime, lines::add);
        int threads = 4;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        Exception failure = new ConnectException("refused");
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < perThread; i++) {
                    realClock.failed(Reason.CONNECT, failure);
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        realClock.flush();

        long reported = 0;
        for (String line : lines) {
            Matcher matcher = TOTAL.matcher(line);
            assertThat(matcher.find()).as(line).isTrue();
            reported += Long.parseLong(matcher.group(1));
        }
        assertThat(reported).isEqualTo((long) threads * perThread);
        assertThat(lines.size()).as("far fewer lines than failures").isLessThan(threads * perThread / 10);
    }
}
