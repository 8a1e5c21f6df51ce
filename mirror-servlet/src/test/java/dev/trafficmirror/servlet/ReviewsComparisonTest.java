package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.Difference;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole story on real containers: reviews v1 serves users and mirrors to v2 (which renames a
 * field and adds one) and to a second v1, the control. The summary names exactly v2's changes, not
 * the timestamps and ids every answer carries. The summary is printed for people to read.
 */
class ReviewsComparisonTest {

    private final List<ServletContainer> containers = new ArrayList<>();
    private Mirror mirror;

    @AfterEach
    void stopAll() throws Exception {
        if (mirror != null) {
            mirror.close(Duration.ofSeconds(5));
        }
        for (ServletContainer container : containers) {
            container.close();
        }
    }

    private ServletContainer start(jakarta.servlet.Filter filter, String version) throws Exception {
        ServletContainer container = ServletContainer.Kind.JETTY.start(filter, new ReviewsServlet(version));
        containers.add(container);
        return container;
    }

    @Test
    void shouldReportWhatV2ChangedAndNothingElse() throws Exception {
        ServletContainer v2 = start((request, response, chain) -> chain.doFilter(request, response), "v2");
        ServletContainer control = start((request, response, chain) -> chain.doFilter(request, response), "v1");
        mirror = Mirror.builder()
                .target(MirrorTarget.of("reviews-v2", v2.url("")).compare(true))
                .target(MirrorTarget.of("reviews-v1-control", control.url("")).control(true))
                .meterRegistry(new SimpleMeterRegistry())
                .build();
        ServletContainer v1 = start(new MirrorFilter(mirror), "v1");

        int requests = 40;
        for (int i = 0; i < requests; i++) {
            RawHttp.Response response = RawHttp.exchange(v1.port(),
                    "GET /reviews/" + (1 + i % 14) + " HTTP/1.1\r\nHost: reviews\r\nX-Request-Id: req-" + (i + 1) + "\r\n\r\n", new byte[0]);
            assertThat(response.status()).isEqualTo(200);
        }
        RawHttp.exchange(v1.port(), "GET /reviews/none HTTP/1.1\r\nHost: reviews\r\n\r\n", new byte[0]);

        await().untilAsserted(() -> assertThat(mirror.comparisons().target("reviews-v2").compared()).isEqualTo(requests + 1));
        await().untilAsserted(() -> assertThat(mirror.comparisons().target("reviews-v1-control").compared()).isEqualTo(requests + 1));
        ComparisonSummary summary = mirror.comparisons();
        System.out.println(summary);

        ComparisonSummary.TargetSummary candidate = summary.target("reviews-v2");
        assertThat(candidate.mismatches()).isEqualTo(requests);
        assertThat(candidate.matches()).as("the 404 (sendError) matches").isEqualTo(1);
        assertThat(candidate.topFields()).containsExactly(
                new ComparisonSummary.FieldCount("$.reviews[*].rating", Difference.Kind.REMOVED, requests),
                new ComparisonSummary.FieldCount("$.reviews[*].stars", Difference.Kind.ADDED, requests),
                new ComparisonSummary.FieldCount("$.reviews[*].verified", Difference.Kind.ADDED, requests));
        assertThat(candidate.noise()).isGreaterThanOrEqualTo(2L * requests);
        assertThat(summary.noise()).extracting(ComparisonSummary.FieldCount::path)
                .containsExactlyInAnyOrder("$.generatedAt", "$.requestId");
        assertThat(summary.recentMismatches()).hasSize(requests)
                .extracting(c -> c.mirrorId()).contains("req-1", "req-" + requests);
        assertThat(candidate.primaryLatency().samples()).isEqualTo(requests + 1);
        assertThat(candidate.shadowLatency().p50()).isPositive();
    }
}
