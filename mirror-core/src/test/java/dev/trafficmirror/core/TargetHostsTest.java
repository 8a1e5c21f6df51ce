package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Target hosts as users really have them, end to end through both senders (the I/O thread for a
 * plain target, the sender threads for a comparing one): a docker-compose name with '_', an IPv6
 * literal, an absolute name with a trailing dot. Runs with its own hosts file
 * ({@code -Djdk.net.hosts.file}, see mirror-core's pom), so that those names resolve anywhere.
 */
class TargetHostsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockWebServer shadow = new MockWebServer();
    private Mirror mirror;

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close(Duration.ofSeconds(5));
        }
        shadow.close();
    }

    private RecordedRequest copyThrough(String host, InetAddress listen, boolean compare) throws Exception {
        shadow.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        shadow.start(listen, 0);
        String url = "http://" + host + ":" + shadow.getPort() + "/v2";
        mirror = Mirror.builder().target(MirrorTarget.of(url).compare(compare)).meterRegistry(registry).build();

        mirror.submit(MirrorRequest.builder("GET", "/reviews/7").build());

        RecordedRequest copy = shadow.takeRequest(10, TimeUnit.SECONDS);
        assertThat(copy).as("a copy reached " + url).isNotNull();
        assertThat(mirror.targets().get(0).name()).isEqualTo(host + ":" + shadow.getPort());
        return copy;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldMirrorToADockerComposeNameWithAnUnderscore(boolean compare) throws Exception {
        RecordedRequest copy = copyThrough("shadow_v2", InetAddress.getByName("127.0.0.1"), compare);

        assertThat(copy.getTarget()).isEqualTo("/v2/reviews/7");
        assertThat(copy.getHeaders().get("Host")).isEqualTo("shadow_v2:" + shadow.getPort());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldMirrorToAnIpv6Literal(boolean compare) throws Exception {
        InetAddress loopback = InetAddress.getByName("::1");
        try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
            assumeTrue(probe.isBound(), "skipped: this machine has no IPv6 loopback (::1)");
        } catch (java.io.IOException e) {
            assumeTrue(false, "skipped: this machine has no IPv6 loopback (::1): " + e);
        }
        RecordedRequest copy = copyThrough("[::1]", loopback, compare);

        assertThat(copy.getTarget()).isEqualTo("/v2/reviews/7");
        assertThat(copy.getHeaders().get("Host")).isEqualTo("[::1]:" + shadow.getPort());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldMirrorToAnAbsoluteNameAsWritten(boolean compare) throws Exception {
        RecordedRequest copy = copyThrough("shadow.internal.", InetAddress.getByName("127.0.0.1"), compare);

        assertThat(copy.getHeaders().get("Host")).as("the name as written, dot included")
                .isEqualTo("shadow.internal.:" + shadow.getPort());
    }

    @Test
    void shouldStillRefuseWhatIsNoHost() {
        for (String url : new String[] {"http://shadow..internal:80", "http://.shadow", "http://sha dow", "http://[]:80",
                "http://shadow:99999", "http://a@shadow_v2", "http://shadow:80:81"}) {
            assertThatThrownBy(() -> MirrorTarget.of(url)).as(url).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
