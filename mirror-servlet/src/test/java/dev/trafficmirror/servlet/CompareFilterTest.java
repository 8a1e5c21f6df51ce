package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.Comparison;
import dev.trafficmirror.core.compare.ComparisonResult;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.compare.Difference;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The primary's answers compared with real shadows (MockWebServer) through the filter. */
class CompareFilterTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Comparison> heard = new CopyOnWriteArrayList<>();
    private final List<MockWebServer> shadows = new ArrayList<>();
    private Mirror mirror;
    private ServletContainer primary;

    @AfterEach
    void stopAll() throws Exception {
        if (mirror != null) {
            mirror.close(Duration.ofSeconds(5));
        }
        if (primary != null) {
            primary.close();
        }
        shadows.forEach(MockWebServer::close);
    }

    /** A shadow that answers every request with what {@code answer} makes of it. */
    private String shadow(Function<RecordedRequest, MockResponse> answer) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(ShadowAnswers.answering(answer));
        server.start(0);
        shadows.add(server);
        return server.url("/").toString();
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    private void start(ServletContainer.Kind kind, HttpServlet servlet, UnaryOperator<Mirror.Builder> settings) throws Exception {
        mirror = settings.apply(Mirror.builder().meterRegistry(registry)
                .comparison(CompareOptions.builder().listener(heard::add).build())).build();
        primary = kind.start(new MirrorFilter(mirror), servlet);
    }

    private RawHttp.Response get(String path, String... headers) throws IOException {
        return RawHttp.exchange(primary.port(), "GET " + path + " HTTP/1.1\r\nHost: primary.test\r\n"
                + String.join("", headers) + "\r\n", new byte[0]);
    }

    private double compared(String target, ComparisonResult result) {
        Counter counter = registry.find("mirror.compare").tag("target", target).tag("result", result.tag()).counter();
        return counter == null ? -1 : counter.count();
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldMatchAnIdenticalAnswerAndNameTheFieldThatChanged(ServletContainer.Kind kind) throws Exception {
        String same = new String(ScenarioServlet.JSON, StandardCharsets.UTF_8);
        String target = shadow(request -> json(request.getTarget().equals("/json")
                ? same : same.replace("\"price\":12", "\"price\":13")));
        start(kind, new ScenarioServlet(), b -> b.target(MirrorTarget.of("v2", target).compare(true)));

        get("/json");
        await().untilAsserted(() -> assertThat(heard).hasSize(1));
        get("/json?changed");

        await().untilAsserted(() -> assertThat(heard).hasSize(2));
        assertThat(heard.get(0).result()).isEqualTo(ComparisonResult.MATCH);
        assertThat(heard.get(1).differences()).containsExactly(
                new Difference("$.items[1].price", Difference.Kind.CHANGED, "12", "13"));
        assertThat(compared("v2", ComparisonResult.MATCH)).isEqualTo(1);
        assertThat(compared("v2", ComparisonResult.MISMATCH)).isEqualTo(1);
        assertThat(mirror.comparisons().recentMismatches()).singleElement()
                .satisfies(m -> assertThat(m.path()).isEqualTo("/json"));
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldCompareTextAnswersByTheirBytes(ServletContainer.Kind kind) throws Exception {
        String target = shadow(request -> new MockResponse.Builder().code(200)
                .addHeader("Content-Type", "text/plain;charset=ISO-8859-1")
                .body(new Buffer().write("café, Latin-1 by default!".getBytes(StandardCharsets.ISO_8859_1))).build());
        start(kind, new ScenarioServlet(), b -> b.target(MirrorTarget.of("v2", target).compare(true)));

        get("/writer-default-charset");

        await().untilAsserted(() -> assertThat(heard).hasSize(1));
        assertThat(heard.get(0).differences()).singleElement().satisfies(difference -> {
            assertThat(difference.path()).isEqualTo("body");
            assertThat(difference.primary()).isEqualTo("24 bytes, from byte 16: \" default\"");
            assertThat(difference.shadow()).isEqualTo("25 bytes, from byte 16: \" default!\"");
        });
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldCompareGzipAnswersDecoded(ServletContainer.Kind kind) throws Exception {
        String reordered = "{\"tags\":[\"x\",\"y\"],\"id\":7,\"items\":[{\"price\":4.50,\"sku\":\"a-1\"},{\"sku\":\"b-2\",\"price\":12}]}";
        String target = shadow(request -> new MockResponse.Builder().code(200)
                .addHeader("Content-Type", "application/json").addHeader("Content-Encoding", "gzip")
                .body(new Buffer().write(ScenarioServlet.gzip(reordered.getBytes(StandardCharsets.UTF_8)))).build());
        start(kind, new ScenarioServlet(), b -> b.target(MirrorTarget.of("v2", target).compare(true)));

        get("/gzip", "Accept-Encoding: gzip\r\n");
        get("/json");

        await().untilAsserted(() -> assertThat(heard).hasSize(2));
        assertThat(heard).allSatisfy(c -> assertThat(c.result()).as(c.toString()).isEqualTo(ComparisonResult.MATCH));
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldReportAnswersOverTheCapAsNotComparableNeverAsMismatches(ServletContainer.Kind kind) throws Exception {
        String target = shadow(request -> new MockResponse.Builder().code(200)
                .addHeader("Content-Type", "application/octet-stream").body("z".repeat(15_001)).build());
        start(kind, new ScenarioServlet(), b -> b.responseCaptureLimit(1000)
                .target(MirrorTarget.of("v2", target).compare(true)));

        RawHttp.Response response = get("/stream");

        assertThat(response.body()).hasSize(15_001);
        await().untilAsserted(() -> assertThat(compared("v2", ComparisonResult.NOT_COMPARABLE)).isEqualTo(1));
        assertThat(compared("v2", ComparisonResult.MISMATCH)).isZero();
        assertThat(heard.get(0).note()).isEqualTo("the primary's body is larger than the capture limit (1000 bytes)");
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldNotReportWhatTheControlShowsToBeNoise(ServletContainer.Kind kind) throws Exception {
        String v2 = shadow(request -> json(ReviewsServlet.answer("v2", product(request))));
        String control = shadow(request -> json(ReviewsServlet.answer("v1", product(request))));
        start(kind, new ReviewsServlet("v1"), b -> b
                .target(MirrorTarget.of("reviews-v2", v2).compare(true))
                .target(MirrorTarget.of("reviews-v1-control", control).control(true)));

        for (int product = 1; product <= 6; product++) {
            assertThat(get("/reviews/" + product).status()).isEqualTo(200);
        }

        await().untilAsserted(() -> assertThat(heard).hasSize(12));
        List<Comparison> candidate = heard.stream().filter(c -> !c.control()).toList();
        assertThat(candidate).hasSize(6).allSatisfy(c -> {
            assertThat(c.differences()).extracting(Difference::path).containsExactly(
                    "$.reviews[0].rating", "$.reviews[0].stars", "$.reviews[0].verified",
                    "$.reviews[1].rating", "$.reviews[1].stars", "$.reviews[1].verified");
            assertThat(c.noise()).isEqualTo(2);
        });
        ComparisonSummary summary = mirror.comparisons();
        assertThat(summary.noise()).extracting(ComparisonSummary.FieldCount::path)
                .containsExactlyInAnyOrder("$.generatedAt", "$.requestId");
        assertThat(summary.target("reviews-v2").topFields()).extracting(ComparisonSummary.FieldCount::path)
                .containsExactlyInAnyOrder("$.reviews[*].rating", "$.reviews[*].stars", "$.reviews[*].verified");
    }

    private static int product(RecordedRequest request) {
        return Integer.parseInt(request.getTarget().substring("/reviews/".length()));
    }

    /** Says which response object the application was given. */
    private static final class ResponseClassServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print(response.getClass().getSimpleName());
        }
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldWrapTheResponseOnlyWhenAChosenTargetCompares(ServletContainer.Kind kind) throws Exception {
        String target = shadow(request -> json("{}"));
        start(kind, new ResponseClassServlet(), b -> b
                .target(MirrorTarget.of("plain", target))
                .target(MirrorTarget.of("sampled-out", target).compare(true).percentage(0)));
        String unwrapped = get("/").text();
        mirror.close(Duration.ofSeconds(5));
        primary.close();
        heard.clear();
        start(kind, new ResponseClassServlet(), b -> b.target(MirrorTarget.of("compared", target).compare(true)));

        String wrapped = get("/", "Content-Length: 0\r\n").text();

        assertThat(unwrapped).isNotEqualTo("CaptureResponse");
        assertThat(wrapped).isEqualTo("CaptureResponse");
        await().untilAsserted(() -> assertThat(heard).hasSize(1));
    }
}
