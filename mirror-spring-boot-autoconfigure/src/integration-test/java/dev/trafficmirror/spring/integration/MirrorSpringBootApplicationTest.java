package dev.trafficmirror.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.Reason;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * A real Spring Boot application on Tomcat, configured by properties only, mirroring to a real
 * shadow ("shadow", a MockWebServer) and to a dead one ("dead", a closed port).
 *
 * <p>Uses no test API that moved between Spring Boot 3.5 and 4.1 (no TestRestTemplate, no
 * LocalServerPort): mirror-spring-boot4-tests runs this same class against Boot 4.1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = MirrorSpringBootApplicationTest.ReviewsApp.class,
        properties = {
            "mirror.connect-timeout=2s",
            "spring.application.name=reviews-app",
            "management.endpoints.web.exposure.include=mirror",
            // Actuator on its own port, as docs/spring-boot.md recommends: its requests are not mirrored.
            "management.server.port=0"
        })
class MirrorSpringBootApplicationTest {

    private static final MockWebServer shadow = new MockWebServer();
    private static final Duration WAIT = MirrorCounts.WAIT;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();

    @Value("${local.server.port}")
    int port;

    @Value("${local.management.port}")
    int managementPort;

    @Autowired
    Mirror mirror;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void targets(DynamicPropertyRegistry properties) throws IOException {
        shadow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).body("shadow").build();
            }
        });
        shadow.start(InetAddress.getLoopbackAddress(), 0);
        // A list comes whole from one property source: names and URLs are set together here.
        properties.add("mirror.targets[0].name", () -> "shadow");
        properties.add("mirror.targets[0].url", () -> "http://127.0.0.1:" + shadow.getPort());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        properties.add("mirror.targets[1].name", () -> "dead");
        properties.add("mirror.targets[1].url", () -> "http://127.0.0.1:" + closedPort + "/v2");
    }

    @AfterAll
    static void stopShadow() {
        shadow.close();
    }

    @Test
    void shouldMirrorAJsonPostByteForByte() throws Exception {
        Map<Reason, Long> before = counts("shadow");
        String json = "{\"stars\":5,\"text\":\"caf\u00e9\"}";

        HttpResponse<String> response = post("/reviews?product=7", "application/json; charset=UTF-8",
                json.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("saved " + json);
        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getMethod()).isEqualTo("POST");
        assertThat(copy.getTarget()).isEqualTo("/reviews?product=7");
        assertThat(copy.getBody().toByteArray()).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        assertThat(copy.getHeaders().get("Content-Type")).isEqualTo("application/json; charset=UTF-8");
        assertThat(copy.getHeaders().get("X-Mirror-Id")).matches("[0-9a-f]{32}");
        awaitCounted("shadow", before, Map.of(Reason.NONE, 1L));
    }

    @Test
    void shouldMirrorAGet() throws Exception {
        Map<Reason, Long> before = counts("shadow");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/reviews/7?lang=fr")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("review 7");
        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getMethod()).isEqualTo("GET");
        assertThat(copy.getTarget()).isEqualTo("/reviews/7?lang=fr");
        awaitCounted("shadow", before, Map.of(Reason.NONE, 1L));
    }

    @Test
    void shouldMirrorAnAsyncRequestOnceTheContainerCompletesIt() throws Exception {
        Map<Reason, Long> before = counts("shadow");

        HttpResponse<String> response = post("/async-reviews", "text/plain", "later".getBytes(StandardCharsets.UTF_8));

        assertThat(response.body()).isEqualTo("saved later, asynchronously");
        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getTarget()).isEqualTo("/async-reviews");
        assertThat(copy.getBody().utf8()).isEqualTo("later");
        awaitCounted("shadow", before, Map.of(Reason.NONE, 1L));
    }

    /**
     * The servlet container parses a POST form itself, past the filter's tee, when @RequestParam
     * asks: the copy is rebuilt from the parameters, without the query's, byte for byte for a form
     * encoded as browsers and Spring's own clients encode it.
     */
    @Test
    void shouldMirrorAFormPostRebuiltFromItsParameters() throws Exception {
        Map<Reason, Long> before = counts("shadow");
        double rebuiltBefore = rebuilt("form");
        String form = "stars=4&text=caf%C3%A9+au+lait";

        HttpResponse<String> response = post("/forms?source=web", "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.US_ASCII));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("form source=web stars=4 text=caf\u00e9 au lait");
        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getMethod()).isEqualTo("POST");
        assertThat(copy.getTarget()).isEqualTo("/forms?source=web");
        assertThat(copy.getBody().utf8()).isEqualTo(form);
        awaitCounted("shadow", before, Map.of(Reason.NONE, 1L));
        assertThat(rebuilt("form") - rebuiltBefore).isEqualTo(1);
    }

    /**
     * PUT, PATCH and DELETE forms are parsed by Spring's FormContentFilter, which reads the body
     * through the filter's tee: the copy carries the exact bytes, nothing rebuilt.
     */
    @Test
    void shouldMirrorPutPatchAndDeleteFormsExactly() throws Exception {
        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            Map<Reason, Long> before = counts("shadow");
            String form = "stars=5&text=tr%C3%A8s%20bien&stars=6";

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/forms/7?source=app"))
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                    .method(method, HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.body()).isEqualTo(method + " form 7 source=app stars=[5, 6] text=tr\u00e8s bien");
            RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(copy).isNotNull();
            assertThat(copy.getMethod()).isEqualTo(method);
            assertThat(copy.getTarget()).isEqualTo("/forms/7?source=app");
            assertThat(copy.getBody().utf8()).isEqualTo(form);
            awaitCounted("shadow", before, Map.of(Reason.NONE, 1L));
        }
    }

    /**
     * A body the handler never reads is read by the filter after the handler, within the cap; on
     * Tomcat 11, which closes the input the moment a response with a Content-Length is written,
     * just before that write, as far as the body has arrived. The client gets the same bytes, at
     * the same moment, as when nothing is mirrored.
     */
    @Test
    void shouldMirrorABodyTheHandlerNeverReads() throws Exception {
        byte[] body = letters(2_000);
        String unmirrored = withoutDate(unmirrored(() -> exchange(body, body.length)));
        Map<Reason, Long> before = counts("shadow");

        String mirrored = withoutDate(exchange(body, body.length));

        assertThat(mirrored).isEqualTo(unmirrored).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nignored");
        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getTarget()).isEqualTo("/ignored");
        assertThat(copy.getBody().toByteArray()).isEqualTo(body);
        awaitCounted("shadow", before, Map.of(Reason.NONE, 1L));
    }

    /**
     * The answer to a request whose body the handler never reads leaves before the client has sent
     * the whole body, with the filter as without it. Tomcat 10.1 keeps the input open, and the
     * filter reads the rest after the answer; Tomcat 11 has closed it by then, and no one can read
     * the rest without holding the answer back: counted body_unavailable.
     */
    @Test
    void shouldAnswerBeforeAnUnreadBodyHasArrivedAsWithoutTheFilter() throws Exception {
        byte[] body = letters(200_000);
        String unmirrored = withoutDate(unmirrored(() -> exchange(body, body.length / 2)));
        Map<Reason, Long> before = counts("shadow");

        String mirrored = withoutDate(exchange(body, body.length / 2));

        assertThat(mirrored).isEqualTo(unmirrored).endsWith("\r\n\r\nignored");
        if (ServerInfo.getServerInfo().startsWith("Apache Tomcat/10.")) {
            RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(copy).isNotNull();
            assertThat(copy.getBody().toByteArray()).isEqualTo(body);
            awaitCounted("shadow", before, Map.of(Reason.NONE, 1L));
        } else {
            awaitCounted("shadow", before, Map.of(Reason.BODY_UNAVAILABLE, 1L));
        }
    }

    private static byte[] letters(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    private String unmirrored(Callable<String> exchange) throws Exception {
        mirror.setEnabled(false);
        try {
            return exchange.call();
        } finally {
            mirror.setEnabled(true);
        }
    }

    /**
     * POSTs {@code body} to /ignored: the head and the first {@code first} bytes, then reads the
     * whole answer, then sends the rest.
     */
    private String exchange(byte[] body, int first) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            // Head and the first bytes in one write, so that they arrive together: in two, the server may
            // see the head alone, and Tomcat 11 answer before the body is there.
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            out.write(("POST /ignored HTTP/1.1\r\nHost: primary.test\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, first);
            out.flush();
            String answer = readAnswer(socket.getInputStream());
            out.write(body, first, body.length - first);
            out.flush();
            return answer;
        }
    }

    /** One answer framed by its Content-Length. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the answer ended in its head: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        Matcher length = Pattern.compile("(?im)^Content-Length: *(\\d+)").matcher(text);
        assertThat(length.find()).as("a Content-Length in " + text).isTrue();
        return text + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.ISO_8859_1);
    }

    private static String withoutDate(String response) {
        return response.replaceAll("(?im)^Date: [^\r\n]*\r\n", "");
    }

    private double rebuilt(String type) {
        Counter counter = meters.find("mirror.body.rebuilt").tag("type", type).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * The container parses the parts itself; the filter rebuilds the body from them, byte for byte
     * for a body written the usual way.
     */
    @Test
    void shouldLeaveAMultipartUploadUntouchedAndCountItsMirror() throws Exception {
        Map<Reason, Long> before = counts("shadow");
        byte[] file = new byte[256];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) i;
        }
        String boundary = "mirror-boundary-7MA4YWxk";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
                + "all bytes\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"bytes.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));

        HttpResponse<String> response = post("/uploads", "multipart/form-data; boundary=" + boundary,
                body.toByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("upload all bytes bytes.bin " + HexFormat.of().formatHex(file));
        RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getTarget()).isEqualTo("/uploads");
        assertThat(copy.getBody().toByteArray()).isEqualTo(body.toByteArray());
        awaitCounted("shadow", before, Map.of(Reason.NONE, 1L));
    }

    @Test
    void shouldShowTargetsCountsFailuresAndPropertiesOnTheEndpoint() throws Exception {
        Map<Reason, Long> deadBefore = counts("dead");
        post("/reviews?secret=1", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
        awaitCounted("dead", deadBefore, Map.of(Reason.CONNECT, 1L));
        Map<Reason, Long> before = counts("shadow");

        HttpResponse<String> response = get("/actuator/mirror");

        assertThat(response.statusCode()).isEqualTo(200);
        String json = response.body();
        assertThat((Boolean) JsonPath.read(json, "$.enabled")).isTrue();
        assertThat((List<String>) JsonPath.read(json, "$.targets[*].name")).containsExactly("shadow", "dead");
        assertThat((String) JsonPath.read(json, "$.targets[0].url")).isEqualTo("http://127.0.0.1:" + shadow.getPort());
        assertThat((Double) JsonPath.read(json, "$.targets[0].percentage")).isEqualTo(100.0);
        assertThat(((Number) JsonPath.read(json, "$.targets[0].outcomes.completed")).longValue())
                .isEqualTo(counts("shadow").get(Reason.NONE)).isPositive();
        assertThat(((Number) JsonPath.read(json, "$.targets[1].reasons.connect")).longValue())
                .isEqualTo(counts("dead").get(Reason.CONNECT));
        assertThat((String) JsonPath.read(json, "$.targets[1].recentFailures[0].reason")).isEqualTo("connect");
        assertThat((String) JsonPath.read(json, "$.targets[1].recentFailures[0].method")).isEqualTo("POST");
        assertThat((String) JsonPath.read(json, "$.targets[1].recentFailures[0].path")).isEqualTo("/reviews");
        assertThat((String) JsonPath.read(json, "$.targets[1].recentFailures[0].mirrorId")).matches("[0-9a-f]{32}");
        assertThat((String) JsonPath.read(json, "$.properties.connect-timeout")).isEqualTo("PT2S");
        assertThat((String) JsonPath.read(json, "$.properties.max-body-size")).isEqualTo("1048576B");
        assertThat((String) JsonPath.read(json, "$.properties.targets[1].name")).isEqualTo("dead");
        assertThat(json).doesNotContain("secret");

        HttpResponse<String> one = get("/actuator/mirror/shadow");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(one.body(), "$.name")).isEqualTo("shadow");
        assertThat(get("/actuator/mirror/nowhere").statusCode()).isEqualTo(404);
        assertThat(counts("shadow")).isEqualTo(before);
    }

    @Test
    void shouldChangeAPercentageAndPauseAndResumeThroughTheEndpoint() throws Exception {
        try {
            HttpResponse<String> changed = postJson("/actuator/mirror/shadow", "{\"percentage\": 0}");
            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat((Double) JsonPath.read(changed.body(), "$.percentage")).isEqualTo(0.0);
            Map<Reason, Long> before = counts("shadow");
            post("/reviews", "application/json", "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
            awaitCounted("shadow", before, Map.of(Reason.SAMPLED_OUT, 1L));

            HttpResponse<String> paused = postJson("/actuator/mirror", "{\"enabled\": false}");
            assertThat(paused.statusCode()).isEqualTo(200);
            assertThat((Boolean) JsonPath.read(paused.body(), "$.enabled")).isFalse();
            assertThat(mirror.isEnabled()).isFalse();
            before = counts("shadow");
            post("/reviews", "application/json", "{\"n\":2}".getBytes(StandardCharsets.UTF_8));
            awaitCounted("shadow", before, Map.of(Reason.DISABLED, 1L));

            assertThat(postJson("/actuator/mirror", "{\"enabled\": true}").statusCode()).isEqualTo(200);
            assertThat(postJson("/actuator/mirror/shadow", "{\"percentage\": 100}").statusCode()).isEqualTo(200);
            before = counts("shadow");
            post("/reviews", "application/json", "{\"n\":3}".getBytes(StandardCharsets.UTF_8));
            RecordedRequest copy = shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(copy).isNotNull();
            assertThat(copy.getBody().utf8()).isEqualTo("{\"n\":3}");
            awaitCounted("shadow", before, Map.of(Reason.NONE, 1L));

            assertThat(paused.body()).as("a write answers what it changed, not the whole report")
                    .isEqualTo("{\"enabled\":false}");
            assertThat(mirror.stats().get(0).percentage()).isEqualTo(100.0);
        } finally {
            mirror.setEnabled(true);
            mirror.setPercentage("shadow", 100);
        }
    }

    @Test
    void shouldAnswerABadWriteWith400AndTheReasonAndChangeNothing() throws Exception {
        try {
            assertBadRequest(postJson("/actuator/mirror/shadow", "{\"percentage\": 500}"),
                    "percentage of target 'shadow' must be between 0 and 100, was 500.0");
            assertBadRequest(postJson("/actuator/mirror/shadow", "{\"percentage\": \"lots\"}"),
                    "percentage must be a number from 0 to 100, was lots");
            assertBadRequest(postJson("/actuator/mirror/nowhere", "{\"percentage\": 5}"),
                    "no target is named 'nowhere'");
            assertBadRequest(postJson("/actuator/mirror/shadow", "{\"percent\": 5}"),
                    "the body must be {\"percentage\": N}");
            assertBadRequest(postJson("/actuator/mirror", "{\"enable\": false}"), "the body must be {\"enabled\": false}");
            assertBadRequest(postJson("/actuator/mirror", "{\"enabled\": \"no\"}"), "enabled must be true or false, was no");
            assertThat(mirror.stats().get(0).percentage()).isEqualTo(100.0);
            assertThat(mirror.isEnabled()).isTrue();
        } finally {
            mirror.setEnabled(true);
            mirror.setPercentage("shadow", 100);
        }
    }

    @Test
    void shouldAnswerABrowserWithTheReportAndEveryoneElseWithJson() throws Exception {
        post("/reviews", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(shadow.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
        // what Chromium and Firefox send for a page
        HttpResponse<String> page = get("/actuator/mirror", "text/html,application/xhtml+xml,application/xml;q=0.9,"
                + "image/avif,image/webp,image/apng,*/*;q=0.8");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("id=\"traffic-graph\"")
                .contains("<h1 id=\"title\">reviews-app: mirrored traffic</h1>").doesNotContain("<script");
        ReportMarkup.assertWellFormed(page.body());

        for (String accept : new String[] {"application/json", "*/*", null}) {
            HttpResponse<String> json = get("/actuator/mirror", accept);
            assertThat(json.statusCode()).as(String.valueOf(accept)).isEqualTo(200);
            assertThat(json.headers().firstValue("Content-Type").orElseThrow()).as(String.valueOf(accept))
                    .startsWith("application/json");
            assertThat((List<String>) JsonPath.read(json.body(), "$.targets[*].name")).containsExactly("shadow", "dead");
        }
        HttpResponse<String> actuator = get("/actuator/mirror", "application/vnd.spring-boot.actuator.v3+json");
        assertThat(actuator.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/vnd.spring-boot.actuator.v3+json");
    }

    private static void assertBadRequest(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).contains("json");
        assertThat((String) JsonPath.read(response.body(), "$.message")).contains(reason);
        assertThat((Integer) JsonPath.read(response.body(), "$.status")).isEqualTo(400);
    }

    private Map<Reason, Long> counts(String target) {
        return MirrorCounts.counts(mirror, target);
    }

    private void awaitCounted(String target, Map<Reason, Long> before, Map<Reason, Long> expected) {
        MirrorCounts.awaitCounted(mirror, target, before, expected);
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs JSON to an Actuator endpoint. */
    private HttpResponse<String> postJson(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(managementUri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs from an Actuator endpoint. */
    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(managementUri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs from an Actuator endpoint with an {@code Accept} header, or none. */
    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(managementUri(path)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    /** The application: it knows nothing of mirroring. */
    @SpringBootApplication
    @RestController
    static class ReviewsApp {

        @PostMapping("/reviews")
        String save(@RequestBody String review) {
            return "saved " + review;
        }

        @GetMapping("/reviews/{id}")
        String review(@PathVariable String id) {
            return "review " + id;
        }

        /** JSON, written by the Jackson Spring Boot configures: 2 on Boot 3.5, 3 on Boot 4.1. */
        @GetMapping("/ratings/{id}")
        Map<String, Object> rating(@PathVariable int id) {
            Map<String, Object> rating = new LinkedHashMap<>();
            rating.put("id", id);
            rating.put("stars", 4);
            rating.put("tags", List.of("a", "b"));
            return rating;
        }

        @PostMapping("/async-reviews")
        Callable<String> saveLater(@RequestBody String review) {
            return () -> "saved " + review + ", asynchronously";
        }

        @PostMapping("/forms")
        String form(@RequestParam String source, @RequestParam String stars, @RequestParam String text) {
            return "form source=" + source + " stars=" + stars + " text=" + text;
        }

        @RequestMapping(path = "/forms/{id}", method = {RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE})
        String changeForm(HttpServletRequest request, @PathVariable String id, @RequestParam String source,
                @RequestParam List<String> stars, @RequestParam String text) {
            return request.getMethod() + " form " + id + " source=" + source + " stars=" + stars + " text=" + text;
        }

        @PostMapping("/ignored")
        String ignored() {
            return "ignored";
        }

        @PostMapping("/uploads")
        String upload(@RequestParam String title, @RequestParam MultipartFile file) throws IOException {
            return "upload " + title + " " + file.getOriginalFilename() + " " + HexFormat.of().formatHex(file.getBytes());
        }
    }
}
