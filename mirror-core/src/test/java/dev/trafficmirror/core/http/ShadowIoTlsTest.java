package dev.trafficmirror.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.TargetStats;
import dev.trafficmirror.core.TargetTls;
import dev.trafficmirror.core.compare.ComparisonSummary;
import dev.trafficmirror.core.integration.PrimaryResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.TlsVersion;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Copies to {@code https} targets through the mirror's own TLS: a private CA trusted per target
 * (never by the JVM), the host name verified, a client certificate for mutual TLS, keep-alive
 * connections, comparison, and a close that says goodbye.
 */
class ShadowIoTlsTest {

    private static final HeldCertificate CA = new HeldCertificate.Builder().certificateAuthority(0)
            .commonName("trafficmirror test CA").build();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockWebServer shadow = new MockWebServer();
    private Mirror mirror;

    @AfterEach
    void stop() {
        if (mirror != null) {
            mirror.close(Duration.ofSeconds(1));
        }
        shadow.close();
    }

    private static HeldCertificate certificateFor(String... names) {
        HeldCertificate.Builder certificate = new HeldCertificate.Builder().signedBy(CA).commonName(names[0]);
        for (String name : names) {
            certificate.addSubjectAlternativeName(name);
        }
        return certificate.build();
    }

    private static HandshakeCertificates server(HeldCertificate certificate) {
        return new HandshakeCertificates.Builder().heldCertificate(certificate).addTrustedCertificate(CA.certificate())
                .build();
    }

    /** What a target trusts: the private CA only; with a client certificate when given. */
    private static SSLContext trustingTheCa(HeldCertificate client) {
        HandshakeCertificates.Builder certificates = new HandshakeCertificates.Builder()
                .addTrustedCertificate(CA.certificate());
        if (client != null) {
            certificates.heldCertificate(client);
        }
        return certificates.build().sslContext();
    }

    private void startShadow(HeldCertificate certificate) throws Exception {
        shadow.useHttps(server(certificate).sslSocketFactory());
        for (int i = 0; i < 4; i++) {
            shadow.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body("{\"id\":7}").build());
        }
        shadow.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    private Mirror mirror(MirrorTarget target) {
        mirror = Mirror.builder().target(target).connectTimeout(Duration.ofSeconds(5)).meterRegistry(registry).build();
        return mirror;
    }

    private TargetStats stats() {
        return mirror.stats().get(0);
    }

    private static MirrorRequest post(String path) {
        return MirrorRequest.builder("POST", path).header("Content-Type", "application/json")
                .body("{\"rating\":5}".getBytes(StandardCharsets.UTF_8)).build();
    }

    @Test
    void shouldSendCopiesOverTlsToAShadowOfAPrivateCaKeepingTheConnection() throws Exception {
        startShadow(certificateFor("localhost"));
        mirror(MirrorTarget.of("v2", "https://localhost:" + shadow.getPort() + "/v2").sslContext(trustingTheCa(null)));

        mirror.submit(post("/reviews/7"));
        RecordedRequest first = shadow.takeRequest(10, TimeUnit.SECONDS);
        // One at a time, so the second finds the first's connection idle.
        await().untilAsserted(() -> assertThat(stats().count(Reason.NONE)).isEqualTo(1));
        mirror.submit(post("/reviews/8"));
        RecordedRequest second = shadow.takeRequest(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(first.getTarget()).isEqualTo("/v2/reviews/7");
        assertThat(first.getBody().utf8()).isEqualTo("{\"rating\":5}");
        assertThat(first.getHeaders().get("Host")).isEqualTo("localhost:" + shadow.getPort());
        assertThat(first.getHandshake()).as("over TLS").isNotNull();
        assertThat(second.getTarget()).isEqualTo("/v2/reviews/8");
        assertThat(second.getConnectionIndex()).as("the same connection").isEqualTo(first.getConnectionIndex());
        await().untilAsserted(() -> assertThat(stats().count(Reason.NONE)).isEqualTo(2));
    }

    @Test
    void shouldRefuseAShadowTheTargetDoesNotTrustWhateverTheJvmTrusts() throws Exception {
        startShadow(certificateFor("localhost"));
        mirror(MirrorTarget.of("v2", "https://localhost:" + shadow.getPort()));

        mirror.submit(post("/reviews/7"));

        await().untilAsserted(() -> assertThat(stats().count(Reason.TLS)).isEqualTo(1));
        assertThat(shadow.getRequestCount()).isZero();
    }

    @Test
    void shouldVerifyTheHostName() throws Exception {
        startShadow(certificateFor("wrong.example"));
        mirror(MirrorTarget.of("v2", "https://localhost:" + shadow.getPort()).sslContext(trustingTheCa(null)));

        mirror.submit(post("/reviews/7"));

        await().untilAsserted(() -> assertThat(stats().count(Reason.TLS)).isEqualTo(1));
        assertThat(shadow.getRequestCount()).as("a trusted CA, the wrong name: nothing sent").isZero();
    }

    @Test
    void shouldVerifyAnIpAddressAgainstTheCertificatesAddresses() throws Exception {
        startShadow(certificateFor("127.0.0.1"));
        mirror(MirrorTarget.of("v2", "https://127.0.0.1:" + shadow.getPort()).sslContext(trustingTheCa(null)));

        mirror.submit(post("/reviews/7"));

        assertThat(shadow.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void shouldShowItsClientCertificateToAShadowThatRequiresOne() throws Exception {
        shadow.requireClientAuth();
        startShadow(certificateFor("localhost"));
        HeldCertificate client = new HeldCertificate.Builder().signedBy(CA).commonName("mirror").build();
        mirror(MirrorTarget.of("v2", "https://localhost:" + shadow.getPort()).sslContext(trustingTheCa(client)));

        mirror.submit(post("/reviews/7"));

        RecordedRequest received = shadow.takeRequest(10, TimeUnit.SECONDS);
        assertThat(received).isNotNull();
        assertThat(received.getHandshake().peerPrincipal().getName()).contains("CN=mirror");
    }

    @Test
    void shouldFailWithoutTheClientCertificateAShadowRequires() throws Exception {
        shadow.requireClientAuth();
        startShadow(certificateFor("localhost"));
        mirror(MirrorTarget.of("v2", "https://localhost:" + shadow.getPort()).sslContext(trustingTheCa(null)));

        mirror.submit(post("/reviews/7"));

        await().untilAsserted(() -> assertThat(stats().count(Reason.NONE)).isZero());
        await().untilAsserted(() -> assertThat(stats().count(Reason.TLS) + stats().count(Reason.IO)).isEqualTo(1));
        assertThat(shadow.getRequestCount()).isZero();
    }

    @Test
    void shouldCompareAnswersOfAnHttpsTarget() throws Exception {
        startShadow(certificateFor("localhost"));
        mirror(MirrorTarget.of("v2", "https://localhost:" + shadow.getPort()).sslContext(trustingTheCa(null))
                .compare(true));

        mirror.integration().submit(MirrorRequest.builder("GET", "/reviews/7").build(),
                PrimaryResponse.builder(200).header("Content-Type", "application/json")
                        .body("{\"id\":7}".getBytes(StandardCharsets.UTF_8)).build());

        await().untilAsserted(() -> {
            ComparisonSummary.TargetSummary compared = mirror.comparisons().target("v2");
            assertThat(compared.matches()).isEqualTo(1);
        });
    }

    @Test
    void shouldSayGoodbyeOverTlsWhenItCloses() throws Exception {
        SSLContext serverContext = server(certificateFor("localhost")).sslContext();
        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<String> howItEnded = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    InputStream in = socket.getInputStream();
                    readHead(in);
                    OutputStream out = socket.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return in.read() == -1 ? "close_notify" : "more bytes";
                } catch (Exception e) {
                    return "abrupt: " + e;
                }
            });
            mirror(MirrorTarget.of("v2", "https://localhost:" + server.getLocalPort()).sslContext(trustingTheCa(null)));
            mirror.submit(MirrorRequest.builder("GET", "/").build());
            await().untilAsserted(() -> assertThat(stats().count(Reason.NONE)).isEqualTo(1));

            mirror.close(Duration.ofSeconds(1));

            assertThat(howItEnded.get(10, TimeUnit.SECONDS)).isEqualTo("close_notify");
        }
    }

    private static void readHead(InputStream in) throws Exception {
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int matched = 0; matched < end.length; ) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }

    @Test
    void shouldGiveAHandshakeTheWholeTimeoutNotJustTheConnectTimeout() throws Exception {
        // Accepts, then never says a word: the handshake waits for the ServerHello.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            mirror = Mirror.builder().target(MirrorTarget.of("v2", "https://localhost:" + silent.getLocalPort())
                    .sslContext(trustingTheCa(null))).connectTimeout(Duration.ofMillis(200)).timeout(Duration.ofMillis(800))
                    .noCircuitBreaker().meterRegistry(registry).build();
            long start = System.nanoTime();

            mirror.submit(post("/reviews/7"));

            await().untilAsserted(() -> assertThat(stats().count(Reason.TIMEOUT)).isEqualTo(1));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
            assertThat(stats().count(Reason.CONNECT)).isZero();
            accepted.get(5, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void shouldRefuseTlsSettingsForAPlainTarget() {
        SSLContext context = trustingTheCa(null);

        assertThatThrownBy(() -> MirrorTarget.of("v2", "http://shadow").sslContext(context))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not https");
    }

    @Test
    void shouldUseOnlyTheProtocolsItIsGiven() throws Exception {
        startShadow(certificateFor("localhost"));
        TargetTls tls = new TargetTls(trustingTheCa(null), List.of("TLSv1.2"), List.of());
        mirror(MirrorTarget.of("v2", "https://localhost:" + shadow.getPort()).tls(() -> tls));

        mirror.submit(post("/reviews/7"));

        RecordedRequest received = shadow.takeRequest(10, TimeUnit.SECONDS);
        assertThat(received).isNotNull();
        assertThat(received.getHandshake().tlsVersion()).isEqualTo(TlsVersion.TLS_1_2);
    }

    @Test
    void shouldRefuseAProtocolOrCipherSuiteTheContextDoesNotSupport() {
        SSLContext context = trustingTheCa(null);

        assertThatThrownBy(() -> new TargetTls(context, List.of("TLSv9"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TLS protocol 'TLSv9' is not supported here; supported are ")
                .hasMessageContaining("TLSv1.3");
        assertThatThrownBy(() -> new TargetTls(context, List.of(), List.of("TLS_NOT_A_SUITE")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cipher suite 'TLS_NOT_A_SUITE'");
    }

    @Test
    void shouldOpenNewConnectionsWithTheSettingsItIsGivenThen() throws Exception {
        startShadow(certificateFor("localhost"));
        HeldCertificate otherCa = new HeldCertificate.Builder().certificateAuthority(0).commonName("other CA").build();
        TargetTls trustingAnother = TargetTls.of(new HandshakeCertificates.Builder()
                .addTrustedCertificate(otherCa.certificate()).build().sslContext());
        AtomicReference<TargetTls> current = new AtomicReference<>(trustingAnother);
        mirror(MirrorTarget.of("v2", "https://localhost:" + shadow.getPort()).tls(current::get));
        mirror.submit(post("/reviews/7"));
        await().untilAsserted(() -> assertThat(stats().count(Reason.TLS)).isEqualTo(1));

        current.set(TargetTls.of(trustingTheCa(null)));
        mirror.submit(post("/reviews/8"));

        RecordedRequest received = shadow.takeRequest(10, TimeUnit.SECONDS);
        assertThat(received).isNotNull();
        assertThat(received.getTarget()).isEqualTo("/reviews/8");
    }
}
