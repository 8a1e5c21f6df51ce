package dev.trafficmirror.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.test.RecordingSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several hundred slow uploads at once, each declaring a body of the cap: the tees of requests
 * still being read hold no more than the mirror's byte budget between them, whatever they
 * declared; the requests the budget has no room for are counted memory_budget, and every
 * application still reads every byte.
 */
class TeeBudgetTest {

    private static final int UPLOADS = 300;
    private static final int CAP = 256 * 1024;
    private static final long BUDGET = 4L << 20;
    private static final int HALF = CAP / 2;

    /** Reads each body without blocking, as it arrives, and answers with its length and CRC. */
    static final class SlowReader extends HttpServlet {
        final AtomicLong read = new AtomicLong();
        final Set<BodyTee> tees = ConcurrentHashMap.newKeySet();

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            BodyTee tee = ProbeServlet.tee(request);
            if (tee != null) {
                tees.add(tee);
            }
            AsyncContext async = request.startAsync();
            async.setTimeout(60_000);
            ServletInputStream in = request.getInputStream();
            CRC32 crc = new CRC32();
            AtomicLong length = new AtomicLong();
            in.setReadListener(new ReadListener() {
                private final byte[] buffer = new byte[16 * 1024];

                @Override
                public void onDataAvailable() throws IOException {
                    while (in.isReady()) {
                        int n = in.read(buffer);
                        if (n < 0) {
                            return;
                        }
                        crc.update(buffer, 0, n);
                        length.addAndGet(n);
                        read.addAndGet(n);
                    }
                }

                @Override
                public void onAllDataRead() throws IOException {
                    response.getWriter().write("read=" + length.get() + " crc=" + crc.getValue());
                    async.complete();
                }

                @Override
                public void onError(Throwable t) {
                    async.complete();
                }
            });
        }

        long held() {
            return tees.stream().mapToLong(BodyTee::capacity).sum();
        }
    }

    @ParameterizedTest
    @EnumSource(ServletContainer.Kind.class)
    void shouldHoldNoMoreThanTheBudgetForTeesOfUploadsInProgress(ServletContainer.Kind kind) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Mirror mirror = Mirror.builder().target(MirrorTarget.of("shadow", "http://127.0.0.1:9")).sink(new RecordingSink())
                .maxBodySize(CAP).maxBufferedBytes(BUDGET).meterRegistry(registry).build();
        SlowReader app = new SlowReader();
        byte[] body = Apps.randomBytes(CAP, 41);
        CRC32 crc = new CRC32();
        crc.update(body);
        List<Socket> clients = new ArrayList<>();
        try (ServletContainer container = kind.start(new MirrorFilter(mirror), app)) {
            for (int i = 0; i < UPLOADS; i++) {
                Socket client = new Socket("127.0.0.1", container.port());
                client.setSoTimeout(30_000);
                clients.add(client);
                OutputStream out = client.getOutputStream();
                out.write(("POST /upload/" + i + " HTTP/1.1\r\nHost: primary.test\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Length: " + CAP + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, 0, HALF);
                out.flush();
            }

            // Every upload is half way: each tee would hold half the cap without a budget.
            await().atMost(Duration.ofSeconds(30)).until(() -> app.read.get() == (long) UPLOADS * HALF);
            assertThat(app.tees).hasSize(UPLOADS);
            assertThat(app.held()).as("bytes the tees hold").isLessThanOrEqualTo(BUDGET);
            assertThat(registry.get("mirror.buffered").gauge().value()).isLessThanOrEqualTo(BUDGET);

            for (Socket client : clients) {
                client.getOutputStream().write(body, HALF, CAP - HALF);
                client.getOutputStream().flush();
            }
            for (Socket client : clients) {
                assertThat(RawHttp.read(client.getInputStream()).text()).isEqualTo("read=" + CAP + " crc=" + crc.getValue());
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(count(registry, Reason.NONE) + count(registry, Reason.MEMORY_BUDGET)).isEqualTo(UPLOADS));
            assertThat(count(registry, Reason.NONE)).as("mirrored").isPositive().isLessThanOrEqualTo(BUDGET / HALF);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(registry.get("mirror.buffered").gauge().value()).isZero());
        } finally {
            for (Socket client : clients) {
                client.close();
            }
            mirror.close(Duration.ZERO);
        }
    }

    private static double count(SimpleMeterRegistry registry, Reason reason) {
        Counter counter = registry.find("mirror.requests").tag("target", "shadow").tag("reason", reason.tag()).counter();
        return counter == null ? 0 : counter.count();
    }
}
