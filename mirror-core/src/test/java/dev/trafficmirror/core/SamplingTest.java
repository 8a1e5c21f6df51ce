package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SamplingTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Shadow shadow;
    private Mirror mirror;

    SamplingTest() throws Exception {
        shadow = new Shadow();
    }

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close(Duration.ofSeconds(5));
        }
        shadow.close();
    }

    private static MirrorRequest request(int i) {
        return MirrorRequest.builder("GET", "/r/" + i).build();
    }

    private static int sampled(Sampling sampling, double percentage, int requests) {
        int in = 0;
        for (int i = 0; i < requests; i++) {
            if (sampling.sample(request(i), percentage)) {
                in++;
            }
        }
        return in;
    }

    @Test
    void counterShouldTakeExactlyTheShareOfEveryWindow() {
        Sampling counter = Sampling.counter();
        List<Integer> picked = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            if (counter.sample(request(i), 10)) {
                picked.add(i);
            }
        }

        assertThat(picked).hasSize(100).startsWith(10, 20, 30).endsWith(990, 1000);
        assertThat(sampled(Sampling.counter(), 0.5, 2000)).as("0.5 %: 1 in 200").isEqualTo(10);
        assertThat(sampled(Sampling.counter(), 12.5, 8_000)).isEqualTo(1_000);
        assertThat(sampled(Sampling.counter(), 100, 500)).isEqualTo(500);
        assertThat(sampled(Sampling.counter(), 0, 500)).isZero();
    }

    @Test
    void counterShouldStayExactUnderConcurrency() throws Exception {
        Sampling counter = Sampling.counter();
        AtomicInteger in = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            threads.execute(() -> {
                for (int i = 0; i < 25_000; i++) {
                    if (counter.sample(request(i), 2)) {
                        in.incrementAndGet();
                    }
                }
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        threads.shutdown();

        assertThat(in.get()).isEqualTo(2_000);
    }

    @Test
    void stickyShouldTakeAllOrNoneOfAKeysRequestsAndOnlyAddKeysWhenRaised() {
        Sampling sticky = Sampling.stickyByHeader("X-User");
        Set<String> inAt10 = new HashSet<>();
        for (int user = 0; user < 10_000; user++) {
            String key = "user-" + user;
            MirrorRequest first = MirrorRequest.builder("GET", "/a").header("X-User", key).build();
            boolean in = sticky.sample(first, 10);
            for (int again = 0; again < 5; again++) {
                MirrorRequest later = MirrorRequest.builder("POST", "/b/" + again).header("x-user", key).build();
                assertThat(sticky.sample(later, 10)).as(key).isEqualTo(in);
            }
            if (in) {
                inAt10.add(key);
            }
        }
        Set<String> inAt30 = new HashSet<>();
        for (int user = 0; user < 10_000; user++) {
            String key = "user-" + user;
            if (sticky.sample(MirrorRequest.builder("GET", "/").header("X-User", key).build(), 30)) {
                inAt30.add(key);
            }
        }

        // The hash is deterministic: these counts are the same on every run, so the bounds cannot flake.
        assertThat(inAt10.size()).isBetween(900, 1100);
        assertThat(inAt30.size()).isBetween(2850, 3150);
        assertThat(inAt30).containsAll(inAt10);
    }

    @Test
    void stickyShouldReadCookiesAndQueryParametersAndSampleKeylessRequestsAtRandom() {
        MirrorRequest withCookie = MirrorRequest.builder("GET", "/")
                .header("Cookie", "theme=dark; SESSION=abc123").header("Cookie", "other=1").build();
        MirrorRequest withParameter = MirrorRequest.builder("GET", "/").query("a=1&session=abc123&b").build();
        MirrorRequest keyless = MirrorRequest.builder("GET", "/").query("sessionx=1").build();

        assertThat(StickySampling.cookie(withCookie, "SESSION")).isEqualTo("abc123");
        assertThat(StickySampling.cookie(withCookie, "other")).isEqualTo("1");
        assertThat(StickySampling.queryParameter(withParameter, "session")).isEqualTo("abc123");
        assertThat(StickySampling.queryParameter(withParameter, "b")).isEmpty();
        assertThat(StickySampling.queryParameter(keyless, "session")).isNull();
        long bucket = StickySampling.bucket("abc123");
        double justAbove = (bucket + 1) / 10_000.0;
        assertThat(Sampling.stickyByCookie("SESSION").sample(withCookie, justAbove)).isTrue();
        assertThat(Sampling.stickyByQueryParameter("session").sample(withParameter, justAbove)).isTrue();
        assertThat(Sampling.stickyByCookie("SESSION").sample(withCookie, bucket / 10_000.0)).isFalse();
        Random seeded = new Random(3);
        Sampling keylessSampling = new StickySampling("query parameter session",
                request -> StickySampling.queryParameter(request, "session"), new RandomSampling(() -> seeded));
        assertThat(sampled(keylessSampling, 50, 2000)).as("no key: random, not all in or all out").isBetween(900, 1100);
    }

    @Test
    void randomShouldStayWithinBoundsForASeededSource() {
        // Seeded: the same sequence on every run. 0.5 % of 200,000 is 1,000, sd ~31.
        assertThat(sampled(new RandomSampling(() -> new Random(42)), 0.5, 200_000)).isEqualTo(
                sampled(new RandomSampling(() -> new Random(42)), 0.5, 200_000));
        Random seeded = new Random(7);
        assertThat(sampled(new RandomSampling(() -> seeded), 0.5, 200_000)).isBetween(850, 1150);
        Random seeded2 = new Random(11);
        assertThat(sampled(new RandomSampling(() -> seeded2), 25, 40_000)).isBetween(9_600, 10_400);
        assertThat(sampled(Sampling.random(), 100, 1000)).isEqualTo(1000);
        assertThat(sampled(Sampling.random(), 0, 1000)).isZero();
    }

    @Test
    void shouldChangeTheShareAtRunTimeForTheVeryNextRequest() throws Exception {
        mirror = Mirror.builder()
                .target(MirrorTarget.of("counted", shadow.url("/")).percentage(0).sampling(Sampling.counter()))
                .meterRegistry(registry).build();

        for (int i = 0; i < 100; i++) {
            mirror.submit(request(i));
        }
        mirror.setPercentage("counted", 5.0);
        for (int i = 100; i < 200; i++) {
            mirror.submit(request(i));
        }
        mirror.setPercentage("counted", 100);
        mirror.submit(request(200));

        assertThat(mirror.percentage("counted")).isEqualTo(100);
        List<RecordedRequest> copies = shadow.take(6);
        assertThat(copies).extracting(RecordedRequest::getTarget).contains("/r/200")
                .allSatisfy(target -> assertThat(Integer.parseInt(target.substring(3))).isGreaterThanOrEqualTo(100));
        await().untilAsserted(() -> assertThat(Meters.count(registry, "counted", Reason.NONE)).isEqualTo(6));
        assertThat(Meters.count(registry, "counted", Reason.SAMPLED_OUT)).isEqualTo(195);
        assertThatThrownBy(() -> mirror.setPercentage("counted", 101)).hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> mirror.setPercentage("nope", 1)).hasMessageContaining("'nope'")
                .hasMessageContaining("counted");
    }

    @Test
    void shouldGiveEachTargetItsOwnSamplingFromTheBuilder() throws Exception {
        Shadow other = new Shadow();
        try {
            mirror = Mirror.builder()
                    .target(MirrorTarget.of("one", shadow.url("/")))
                    .target(MirrorTarget.of("two", other.url("/")))
                    .sampling(Sampling::counter)
                    .percentage(10)
                    .meterRegistry(registry).build();

            for (int i = 1; i <= 100; i++) {
                mirror.submit(request(i));
            }

            // A shared counter would split ten picks between the two targets.
            assertThat(shadow.take(10)).hasSize(10);
            assertThat(other.take(10)).hasSize(10);
            assertThat(Meters.count(registry, "one", Reason.SAMPLED_OUT)).isEqualTo(90);
        } finally {
            mirror.close(Duration.ofSeconds(5));
            other.close();
        }
    }
}
