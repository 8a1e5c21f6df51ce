package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.TlsVersion;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * {@code mirror.ssl.bundle} and {@code mirror.targets[i].ssl.bundle}: Spring Boot SSL bundles of PEM
 * files from a private CA that the JVM does not trust, against a real TLS shadow.
 */
class MirrorSslBundleTest {

    private static final HeldCertificate CA = new HeldCertificate.Builder().certificateAuthority(0)
            .commonName("trafficmirror test CA").build();
    private static final HeldCertificate OTHER_CA = new HeldCertificate.Builder().certificateAuthority(0)
            .commonName("another CA").build();

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MirrorAutoConfiguration.class, SslAutoConfiguration.class));
    private final MockWebServer shadow = new MockWebServer();
    @TempDir
    Path files;
    private Path ca;
    private Path otherCa;

    @BeforeEach
    void certificates() throws Exception {
        ca = write("ca.pem", CA.certificatePem());
        otherCa = write("other-ca.pem", OTHER_CA.certificatePem());
    }

    @AfterEach
    void stop() {
        shadow.close();
    }

    private Path write(String name, String pem) throws Exception {
        return Files.writeString(files.resolve(name), pem);
    }

    private void startShadow() throws Exception {
        HeldCertificate certificate = new HeldCertificate.Builder().signedBy(CA).commonName("localhost")
                .addSubjectAlternativeName("localhost").build();
        shadow.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate)
                .addTrustedCertificate(CA.certificate()).build().sslSocketFactory());
        for (int i = 0; i < 8; i++) {
            shadow.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        }
        shadow.start(0);
    }

    private String url() {
        return "https://localhost:" + shadow.getPort();
    }

    private static String trusting(String bundle, Path ca) {
        return "spring.ssl.bundle.pem." + bundle + ".truststore.certificate=" + ca.toUri();
    }

    private static MirrorRequest get(String path) {
        return MirrorRequest.builder("GET", path).build();
    }

    private static long count(Mirror mirror, Reason reason) {
        return mirror.stats().get(0).count(reason);
    }

    @Test
    void shouldTrustTheShadowByTheMirrorsBundle() throws Exception {
        startShadow();
        web.withPropertyValues("mirror.target=" + url(), "mirror.ssl.bundle=shadow", trusting("shadow", ca))
                .run(context -> {
                    context.getBean(Mirror.class).submit(get("/reviews/7"));

                    RecordedRequest received = shadow.takeRequest(10, TimeUnit.SECONDS);
                    assertThat(received).isNotNull();
                    assertThat(received.getTarget()).isEqualTo("/reviews/7");
                });
    }

    @Test
    void shouldRefuseTheShadowWithoutABundleThatTrustsIt() throws Exception {
        startShadow();
        web.withPropertyValues("mirror.target=" + url()).run(context -> {
            Mirror mirror = context.getBean(Mirror.class);
            mirror.submit(get("/reviews/7"));

            await().untilAsserted(() -> assertThat(count(mirror, Reason.TLS)).isEqualTo(1));
            assertThat(shadow.getRequestCount()).isZero();
        });
    }

    @Test
    void shouldShowTheTargetsOwnBundlesKeyToAShadowThatRequiresAClientCertificate() throws Exception {
        shadow.requireClientAuth();
        startShadow();
        HeldCertificate client = new HeldCertificate.Builder().signedBy(CA).commonName("mirror").build();
        Path certificate = write("client.pem", client.certificatePem());
        Path key = write("client.key", client.privateKeyPkcs8Pem());
        web.withPropertyValues("mirror.targets[0].url=" + url(), "mirror.targets[0].ssl.bundle=client",
                "mirror.ssl.bundle=other", trusting("other", otherCa), trusting("client", ca),
                "spring.ssl.bundle.pem.client.keystore.certificate=" + certificate.toUri(),
                "spring.ssl.bundle.pem.client.keystore.private-key=" + key.toUri()).run(context -> {
                    context.getBean(Mirror.class).submit(get("/reviews/7"));

                    RecordedRequest received = shadow.takeRequest(10, TimeUnit.SECONDS);
                    assertThat(received).as("the target's bundle, not the mirror's").isNotNull();
                    assertThat(received.getHandshake().peerPrincipal().getName()).contains("CN=mirror");
                });
    }

    @Test
    void shouldUseTheProtocolsTheBundleEnables() throws Exception {
        startShadow();
        web.withPropertyValues("mirror.target=" + url(), "mirror.ssl.bundle=shadow", trusting("shadow", ca),
                "spring.ssl.bundle.pem.shadow.options.enabled-protocols=TLSv1.2").run(context -> {
                    context.getBean(Mirror.class).submit(get("/reviews/7"));

                    RecordedRequest received = shadow.takeRequest(10, TimeUnit.SECONDS);
                    assertThat(received).isNotNull();
                    assertThat(received.getHandshake().tlsVersion()).isEqualTo(TlsVersion.TLS_1_2);
                });
    }

    @Test
    void shouldTakeUpAnUpdatedBundleForNewConnections() throws Exception {
        startShadow();
        Path trusted = write("trusted.pem", OTHER_CA.certificatePem());
        web.withPropertyValues("mirror.target=" + url(), "mirror.ssl.bundle=shadow", trusting("shadow", trusted),
                "spring.ssl.bundle.pem.shadow.reload-on-update=true",
                "spring.ssl.bundle.watch.file.quiet-period=100ms").run(context -> {
                    Mirror mirror = context.getBean(Mirror.class);
                    mirror.submit(get("/reviews/7"));
                    await().untilAsserted(() -> assertThat(count(mirror, Reason.TLS)).isEqualTo(1));

                    Files.writeString(trusted, CA.certificatePem());

                    await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
                        mirror.submit(get("/reviews/8"));
                        assertThat(count(mirror, Reason.NONE)).isPositive();
                    });
                    assertThat(shadow.takeRequest(1, TimeUnit.SECONDS).getTarget()).isEqualTo("/reviews/8");
                });
    }

    @Test
    void shouldFailStartUpNamingTheBundleThatDoesNotExist() {
        web.withPropertyValues("mirror.targets[0].url=https://reviews-v2:9443", "mirror.targets[0].ssl.bundle=nope",
                trusting("shadow", ca)).run(context -> assertThat(analysis(context.getStartupFailure()))
                        .contains("Property: mirror.targets[0].ssl.bundle\n")
                        .contains("Reason: there is no SSL bundle 'nope'; the bundles are [shadow]"
                                + " (spring.ssl.bundle.jks.* and spring.ssl.bundle.pem.*)"));
    }

    @Test
    void shouldFailStartUpForABundleThatCannotBeHonoured() {
        web.withPropertyValues("mirror.target=https://reviews-v2:9443", "mirror.ssl.bundle=shadow", trusting("shadow", ca),
                "spring.ssl.bundle.pem.shadow.options.enabled-protocols=TLSv9").run(context -> assertThat(
                        analysis(context.getStartupFailure())).contains("Property: mirror.ssl.bundle\n")
                        .contains("Reason: SSL bundle 'shadow' cannot be used: TLS protocol 'TLSv9' is not supported"));
    }

    /** What Spring Boot prints for a failed start-up, when one of its failure analyzers knows the failure. */
    private static String analysis(Throwable failure) {
        assertThat(failure).isNotNull();
        FailureAnalysis analysis = new InvalidMirrorPropertyFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysed").isNotNull();
        return analysis.getDescription();
    }
}
