package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonResult;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.Difference;
import dev.trafficmirror.core.integration.PrimaryResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Comparisons through a whole mirror: real shadows over HTTP, answers compared on mirror threads. */
class MirrorComparisonTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockWebServer candidate = new MockWebServer();
    private final MockWebServer control = new MockWebServer();
    private final List<Comparison> heard = new CopyOnWriteArrayList<>();
    private final CountDownLatch releaseControl = new CountDownLatch(1);
    private Mirror mirror;

    @AfterEach
    void close() {
        releaseControl.countDown();
        if (mirror != null) {
            mirror.close(Duration.ZERO);
        }
        candidate.close();
        control.close();
    }

    /** A shadow that answers every request with the JSON {@code body} makes of it. */
    private static void answer(MockWebServer server, Function<RecordedRequest, String> body) throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                        .body(body.apply(request)).build();
            }
        });
        server.start(0);
    }

    private static MirrorRequest get(String path) {
        return MirrorRequest.builder("GET", path).header("Host", "reviews").build();
    }

    private static PrimaryResponse primary(String json) {
        return PrimaryResponse.builder(200).header("Content-Type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8)).latency(Duration.ofMillis(2)).build();
    }

    private double compared(String target, ComparisonResult result) {
        Counter counter = registry.find("mirror.compare").tag("target", target).tag("result", result.tag()).counter();
        return counter == null ? -1 : counter.count();
    }

    @Test
    void shouldCompareTheShadowsAnswerWithThePrimarysAndSummarize() throws Exception {
        answer(candidate, request -> "{\"id\":7,\"stars\":5}");
        mirror = Mirror.builder().target(MirrorTarget.of("v2", candidate.url("/").toString()).compare(true))
                .meterRegistry(registry).comparison(CompareOptions.builder().listener(heard::add).build()).build();

        mirror.integration().submit(get("/reviews/7"), primary("{\"id\":7,\"rating\":5}"));
        mirror.integration().submit(get("/reviews/8"), primary("{\"id\":7,\"stars\":5}"));

        await().untilAsserted(() -> assertThat(heard).hasSize(2));
        await().untilAsserted(() -> assertThat(compared("v2", ComparisonResult.MISMATCH)).isEqualTo(1));
        assertThat(compared("v2", ComparisonResult.MATCH)).isEqualTo(1);
        ComparisonSummary summary = mirror.comparisons();
        assertThat(summary.recentMismatches()).singleElement().satisfies(mismatch -> {
            assertThat(mismatch.path()).isEqualTo("/reviews/7");
            assertThat(mismatch.mirrorId()).matches("[0-9a-f]{32}");
            assertThat(mismatch.differences()).extracting(Difference::path).containsExactly("$.rating", "$.stars");
            assertThat(mismatch.shadowLatency()).isPositive();
            assertThat(mismatch.primaryLatency()).isEqualTo(Duration.ofMillis(2));
        });
        assertThat(summary.target("v2").shadowLatency().samples()).isEqualTo(2);
        assertThat(candidate.takeRequest().getHeaders().get("X-Mirror-Id")).isNotNull();
    }

    @Test
    void shouldCompareOnlyTargetsThatAskForIt() throws Exception {
        answer(candidate, request -> "{}");
        mirror = Mirror.builder().target(MirrorTarget.of("plain", candidate.url("/").toString()))
                .meterRegistry(registry).build();

        mirror.integration().submit(get("/x"), primary("{\"a\":1}"));

        await().untilAsserted(() -> assertThat(Meters.count(registry, "plain", Reason.NONE)).isEqualTo(1));
        assertThat(registry.find("mirror.compare").counters()).isEmpty();
        assertThat(mirror.comparisons()).isEqualTo(ComparisonSummary.empty());
    }

    @Test
    void shouldCountAnAnswerWithoutThePrimarysAsNotComparable() throws Exception {
        answer(candidate, request -> "{}");
        mirror = Mirror.builder().target(MirrorTarget.of("v2", candidate.url("/").toString()).compare(true))
                .meterRegistry(registry).build();

        mirror.submit(get("/x"));

        await().untilAsserted(() -> assertThat(compared("v2", ComparisonResult.NOT_COMPARABLE)).isEqualTo(1));
    }

    @Test
    void shouldSetAsideNoiseTheControlSeesEvenWhenTheCandidateAnswersFirst() throws Exception {
        String candidateBody = "{\"id\":1,\"stars\":5,\"generatedAt\":\"%s\",\"requestId\":\"%s\"}";
        String controlBody = "{\"id\":1,\"rating\":5,\"generatedAt\":\"%s\",\"requestId\":\"%s\"}";
        answer(candidate, request -> String.format(candidateBody, System.nanoTime(), UUID.randomUUID()));
        control.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                // Holds the first answer until the candidate's is in: the candidate must wait for it.
                if (request.getTarget().equals("/first")) {
                    releaseControl.await(10, TimeUnit.SECONDS);
                }
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                        .body(String.format(controlBody, System.nanoTime(), UUID.randomUUID())).build();
            }
        });
        control.start(0);
        mirror = Mirror.builder()
                .target(MirrorTarget.of("v2", candidate.url("/").toString()).compare(true))
                .target(MirrorTarget.of("v1-control", control.url("/").toString()).control(true))
                .meterRegistry(registry).comparison(CompareOptions.builder().listener(heard::add).build()).build();

        mirror.integration().submit(get("/first"), primary(String.format(controlBody, "t0", "r0")));
        await().untilAsserted(() -> assertThat(candidate.getRequestCount()).isEqualTo(1));
        await().untilAsserted(() -> assertThat(Meters.count(registry, "v2", Reason.NONE)).isEqualTo(1));
        assertThat(heard).as("the candidate's answer waits for the control's").isEmpty();
        releaseControl.countDown();
        for (int i = 0; i < 5; i++) {
            mirror.integration().submit(get("/next/" + i), primary(String.format(controlBody, "t" + i, "r" + i)));
        }

        await().untilAsserted(() -> assertThat(heard).hasSize(12));
        assertThat(heard.get(0).target()).as("the control is compared first").isEqualTo("v1-control");
        assertThat(heard).filteredOn(c -> c.target().equals("v2")).allSatisfy(c -> {
            assertThat(c.differences()).extracting(Difference::path).containsExactly("$.rating", "$.stars");
            assertThat(c.noise()).isEqualTo(2);
        });
        ComparisonSummary summary = mirror.comparisons();
        assertThat(summary.target("v1-control").control()).isTrue();
        assertThat(summary.target("v1-control").mismatches()).isEqualTo(6);
        assertThat(summary.target("v2").noise()).isEqualTo(12);
        assertThat(summary.noise()).extracting(ComparisonSummary.FieldCount::path)
                .containsExactlyInAnyOrder("$.generatedAt", "$.requestId");
        assertThat(registry.get("mirror.buffered").gauge().value()).isZero();
    }

    @Test
    void shouldNotLetCandidatesWaitForAControlThatWasDropped() throws Exception {
        answer(candidate, request -> "{\"v\":2}");
        control.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                releaseControl.await(10, TimeUnit.SECONDS);
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body("{\"v\":1}").build();
            }
        });
        control.start(0);
        mirror = Mirror.builder()
                .target(MirrorTarget.of("v2", candidate.url("/").toString()).compare(true))
                .target(MirrorTarget.of("v1-control", control.url("/").toString()).control(true))
                .maxConcurrent(1).queueCapacity(0)
                .meterRegistry(registry).comparison(CompareOptions.builder().listener(heard::add).build()).build();

        mirror.integration().submit(get("/held"), primary("{\"v\":1}"));
        await().untilAsserted(() -> assertThat(control.getRequestCount()).isEqualTo(1));
        await().untilAsserted(() -> assertThat(Meters.count(registry, "v2", Reason.NONE)).isEqualTo(1));
        mirror.integration().submit(get("/dropped"), primary("{\"v\":1}"));

        await().untilAsserted(() -> assertThat(heard).extracting(Comparison::path).containsExactly("/dropped"));
        assertThat(Meters.count(registry, "v1-control", Reason.QUEUE_FULL)).isEqualTo(1);
        releaseControl.countDown();
        await().untilAsserted(() -> assertThat(heard).extracting(Comparison::path).containsExactly("/dropped", "/held", "/held"));
        await().untilAsserted(() -> assertThat(registry.get("mirror.buffered").gauge().value()).isZero());
    }

    @Test
    void shouldCountThePrimarysCapturedAnswerAgainstTheMemoryBudget() throws Exception {
        answer(candidate, request -> "{}");
        mirror = Mirror.builder().target(MirrorTarget.of("v2", candidate.url("/").toString()).compare(true))
                .maxBufferedBytes(100).meterRegistry(registry).build();

        mirror.integration().submit(get("/small"), primary("{\"a\":1}"));
        mirror.integration().submit(get("/big"), primary("{\"a\":\"" + "x".repeat(100) + "\"}"));

        await().untilAsserted(() -> assertThat(Meters.count(registry, "v2", Reason.MEMORY_BUDGET)).isEqualTo(1));
        await().untilAsserted(() -> assertThat(compared("v2", ComparisonResult.MISMATCH)).isEqualTo(1));
        assertThat(candidate.takeRequest().getTarget()).isEqualTo("/small");
    }

    @Test
    void shouldCompareOnTheComparingThreadNeverOnTheOneThatReceivedTheAnswer() throws Exception {
        answer(candidate, request -> "{\"id\":7}");
        List<String> threads = new CopyOnWriteArrayList<>();
        mirror = Mirror.builder().target(MirrorTarget.of("v2", candidate.url("/").toString()).compare(true))
                .meterRegistry(registry).comparison(CompareOptions.builder()
                        .listener(comparison -> threads.add(Thread.currentThread().getName())).build()).build();

        for (int i = 0; i < 5; i++) {
            mirror.integration().submit(get("/reviews/" + i), primary("{\"id\":7}"));
        }

        await().untilAsserted(() -> assertThat(threads).hasSize(5));
        assertThat(threads).containsOnly("trafficmirror-compare");
    }

    @Test
    void shouldSkipAndCountComparisonsWhileTheComparingThreadIsBehindAndKeepTheCopiesCounts() throws Exception {
        answer(candidate, request -> "{\"id\":7}");
        CompareExecutor executor = new CompareExecutor(1);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        assertThat(executor.tryRun(() -> {
            busy.countDown();
            hold(release);
        })).isTrue();
        busy.await(5, TimeUnit.SECONDS);
        mirror = Mirror.builder().target(MirrorTarget.of("v2", candidate.url("/").toString()).compare(true))
                .meterRegistry(registry).compareExecutor(executor).build();

        // The thread is held and its queue takes one: the first answer waits, the next two are skipped.
        for (int i = 0; i < 3; i++) {
            mirror.integration().submit(get("/reviews/" + i), primary("{\"id\":7}"));
            int sent = i + 1;
            await().untilAsserted(() -> assertThat(Meters.count(registry, "v2", Reason.NONE)).isEqualTo(sent));
        }
        await().untilAsserted(() -> assertThat(compared("v2", ComparisonResult.SKIPPED)).isEqualTo(2));
        assertThat(mirror.comparisons().target("v2").skipped()).isEqualTo(2);
        assertThat(mirror.inFlight().copies()).as("the waiting comparison holds its copy").isEqualTo(1);
        release.countDown();

        await().untilAsserted(() -> assertThat(compared("v2", ComparisonResult.MATCH)).isEqualTo(1));
        await().untilAsserted(() -> assertThat(mirror.inFlight().copies()).isZero());
        assertThat(mirror.comparisons().target("v2").compared()).isEqualTo(1);
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldRefuseTwoControls() {
        assertThatThrownBy(() -> Mirror.builder()
                .target(MirrorTarget.of("a", "http://a").control(true))
                .target(MirrorTarget.of("b", "http://b").control(true))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at most one target may be the control, but [a, b] are");
    }

    @Test
    void shouldMakeAControlACompareTarget() {
        MirrorTarget target = MirrorTarget.of("c", "http://c").control(true).compare(false);

        assertThat(target.compares()).isTrue();
        assertThat(target.isControl()).isTrue();
        assertThat(MirrorTarget.of("d", "http://d").compares()).as("off by default").isFalse();
        assertThat(MirrorTarget.of("d", "http://d").compare(true).percentage(5).compares()).isTrue();
    }
}
