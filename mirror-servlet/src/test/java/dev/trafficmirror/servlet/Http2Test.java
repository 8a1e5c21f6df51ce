package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.test.RecordingSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.io.File;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/2 primary: h2c with prior knowledge (OkHttp) and by upgrade from HTTP/1.1 (the JDK's
 * client) on Jetty 12 and Tomcat, and h2 over TLS (ALPN) on Jetty. The copy, an HTTP/1.1 request,
 * has the exact method, path, raw query, body and end-to-end headers; no pseudo-header becomes a
 * header, and {@code :authority} reaches the shadow as {@code X-Forwarded-Host}.
 */
class Http2Test {

    private static final AtomicLong ids = new AtomicLong();
    private static final byte[] BODY = Apps.randomBytes(100_000, 17);
    private static final HeldCertificate CERTIFICATE = new HeldCertificate.Builder().addSubjectAlternativeName("localhost")
            .addSubjectAlternativeName("127.0.0.1").build();

    private final RecordingSink sink = new RecordingSink();
    private final Mirror mirror = Mirror.builder().target(MirrorTarget.of("shadow", "http://127.0.0.1:9")).sink(sink)
            .meterRegistry(new SimpleMeterRegistry()).build();
    private AutoCloseable server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        mirror.close(Duration.ZERO);
    }

    @Test
    void shouldMirrorH2cWithPriorKnowledgeOnJetty() throws Exception {
        int port = jetty(false);
        checkPriorKnowledge("http://127.0.0.1:" + port, "127.0.0.1:" + port, plainClient());
    }

    @Test
    void shouldMirrorH2cWithPriorKnowledgeOnTomcat() throws Exception {
        int port = tomcat();
        checkPriorKnowledge("http://127.0.0.1:" + port, "127.0.0.1:" + port, plainClient());
    }

    @Test
    void shouldMirrorH2OverTlsOnJetty() throws Exception {
        int port = jetty(true);
        HandshakeCertificates trust = new HandshakeCertificates.Builder().addTrustedCertificate(CERTIFICATE.certificate())
                .build();
        OkHttpClient client = new OkHttpClient.Builder().sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
                .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)).build();
        checkPriorKnowledge("https://localhost:" + port, "localhost:" + port, client);
    }

    @Test
    void shouldMirrorH2cReachedByUpgradeOnJetty() throws Exception {
        int port = jetty(false);
        checkUpgrade(port);
    }

    @Test
    void shouldMirrorH2cReachedByUpgradeOnTomcat() throws Exception {
        int port = tomcat();
        checkUpgrade(port);
    }

    private static OkHttpClient plainClient() {
        return new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
    }

    /** A POST with a body and repeated headers, then a GET, both over HTTP/2 from the first byte. */
    private void checkPriorKnowledge(String base, String authority, OkHttpClient client) throws Exception {
        String id = "h2-" + ids.incrementAndGet();
        Request post = new Request.Builder().url(base + "/orders/7?x=%2F&y=a+b&z=%7e")
                .header("X-Request-Id", id).addHeader("X-Tag", "one").addHeader("X-Tag", "two")
                .addHeader("Accept", "application/json")
                .post(RequestBody.create(BODY, MediaType.get("application/octet-stream"))).build();
        try (Response response = client.newCall(post).execute()) {
            assertThat(response.protocol()).isIn(Protocol.H2_PRIOR_KNOWLEDGE, Protocol.HTTP_2);
            assertThat(response.body().string()).isEqualTo(EchoServlet.describe(BODY));
        }
        MirrorRequest copy = copy(id);
        assertThat(copy.method()).isEqualTo("POST");
        assertThat(copy.path()).isEqualTo("/orders/7");
        assertThat(copy.query()).isEqualTo("x=%2F&y=a+b&z=%7e");
        assertThat(copy.bodyBytes()).isEqualTo(BODY);
        assertThat(values(copy, "X-Tag")).containsExactly("one", "two");
        assertThat(copy.header("Accept")).isEqualTo("application/json");
        assertThat(copy.header("Content-Type")).isEqualTo("application/octet-stream");
        assertCarriesNoPseudoHeaderAndTheAuthority(copy, authority);

        String getId = "h2-" + ids.incrementAndGet();
        try (Response response = client.newCall(new Request.Builder().url(base + "/items?q=caf%C3%A9")
                .header("X-Request-Id", getId).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        MirrorRequest get = copy(getId);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.path()).isEqualTo("/items");
        assertThat(get.query()).isEqualTo("q=caf%C3%A9");
        assertThat(get.bodyBytes()).isEmpty();
        assertCarriesNoPseudoHeaderAndTheAuthority(get, authority);
    }

    /** The JDK's client upgrades its first request from HTTP/1.1 to h2c; the rest go over HTTP/2. */
    private void checkUpgrade(int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        String first = "up-" + ids.incrementAndGet();
        HttpResponse<String> upgraded = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/first?a=1")).header("X-Request-Id", first).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upgraded.version()).isEqualTo(HttpClient.Version.HTTP_2);
        String id = "up-" + ids.incrementAndGet();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/orders/8?b=%20c")).header("X-Request-Id", id).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo(EchoServlet.describe(BODY));

        MirrorRequest upgradedCopy = copy(first);
        assertThat(upgradedCopy.method()).isEqualTo("GET");
        assertThat(upgradedCopy.path()).isEqualTo("/first");
        assertThat(upgradedCopy.query()).isEqualTo("a=1");
        MirrorRequest copy = copy(id);
        assertThat(copy.method()).isEqualTo("POST");
        assertThat(copy.path()).isEqualTo("/orders/8");
        assertThat(copy.query()).isEqualTo("b=%20c");
        assertThat(copy.bodyBytes()).isEqualTo(BODY);
        assertThat(copy.header("Content-Type")).isEqualTo("application/json");
        for (MirrorRequest each : List.of(upgradedCopy, copy)) {
            assertCarriesNoPseudoHeaderAndTheAuthority(each, "127.0.0.1:" + port);
            assertThat(each.header("Upgrade")).as("hop-by-hop").isNull();
            assertThat(each.header("HTTP2-Settings")).as("hop-by-hop").isNull();
        }
    }

    private static void assertCarriesNoPseudoHeaderAndTheAuthority(MirrorRequest copy, String authority) {
        assertThat(copy.headers()).extracting(Map.Entry::getKey).noneMatch(name -> name.startsWith(":"));
        assertThat(values(copy, "X-Forwarded-Host")).containsExactly(authority);
    }

    private static List<String> values(MirrorRequest request, String name) {
        return request.headers().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).toList();
    }

    private MirrorRequest copy(String id) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> sink.recorded().stream()
                .map(RecordingSink.Recorded::request).filter(r -> id.equals(r.header(Mirror.MIRROR_ID_HEADER)))
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    /** Jetty 12 with h2c (prior knowledge and upgrade) next to HTTP/1.1, or h2 over TLS chosen by ALPN. */
    private int jetty(boolean tls) throws Exception {
        Server jetty = new Server();
        HttpConfiguration config = new HttpConfiguration();
        ServerConnector connector;
        if (tls) {
            config.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", CERTIFICATE.keyPair().getPrivate(), "secret".toCharArray(),
                    new java.security.cert.Certificate[] {CERTIFICATE.certificate()});
            ssl.setKeyStore(keys);
            ssl.setKeyStorePassword("secret");
            HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
            alpn.setDefaultProtocol("http/1.1");
            connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2,
                    new HttpConnectionFactory(config));
        } else {
            connector = new ServerConnector(jetty, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
        }
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new EchoServlet()), "/*");
        context.addFilter(new FilterHolder(new MirrorFilter(mirror)), "/*", EnumSet.of(DispatcherType.REQUEST));
        jetty.setHandler(context);
        jetty.start();
        server = jetty::stop;
        return connector.getLocalPort();
    }

    /** Tomcat with its HTTP/2 upgrade protocol on the HTTP/1.1 connector: h2c by upgrade or prior knowledge. */
    private int tomcat() throws Exception {
        File base = Files.createTempDirectory("tomcat-h2").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setProperty("address", InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(0);
        connector.addUpgradeProtocol(new Http2Protocol());
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.getAbsolutePath());
        HttpServlet servlet = new EchoServlet();
        Wrapper wrapper = Tomcat.addServlet(context, "app", servlet);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "app");
        FilterDef filterDef = new FilterDef();
        filterDef.setFilterName("mirror");
        filterDef.setFilter(new MirrorFilter(mirror));
        context.addFilterDef(filterDef);
        FilterMap filterMap = new FilterMap();
        filterMap.setFilterName("mirror");
        filterMap.addURLPattern("/*");
        context.addFilterMap(filterMap);
        tomcat.start();
        server = () -> {
            tomcat.stop();
            tomcat.destroy();
        };
        return connector.getLocalPort();
    }
}
