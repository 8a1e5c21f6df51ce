package dev.trafficmirror.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trafficmirror.core.BlackHole;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.Shadow;
import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.core.Threads;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ShadowIo} against real servers on loopback: connections, their reuse, timeouts, bounds and close. */
class ShadowIoTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final List<AutoCloseable> servers = new ArrayList<>();
    private ShadowIo io;

    @AfterEach
    void stop() throws Exception {
        if (io != null) {
            io.close();
        }
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    private ShadowIo io(Duration connectTimeout, Duration timeout, int captureLimit) {
        io = new ShadowIo(connectTimeout, timeout, captureLimit);
        io.start();
        return io;
    }

    private ShadowIo.Pool pool(String url, int maxConnections, int queueCapacity) {
        if (io == null) {
            io(CONNECT_TIMEOUT, TIMEOUT, 1024);
        }
        return io.pool(MirrorTarget.of("shadow", url), maxConnections, queueCapacity);
    }

    private <T extends AutoCloseable> T server(T server) {
        servers.add(server);
        return server;
    }

    private static MirrorRequest get() {
        return MirrorRequest.builder("GET", "/items/1").header("Accept", "*/*").build();
    }

    /** Offers a copy of {@code request}, which must be taken. */
    private static Copy offered(ShadowIo.Pool pool, MirrorRequest request) {
        Copy copy = new Copy(request, true);
        assertThat(pool.offer(copy)).as("taken").isTrue();
        return copy;
    }

    @Test
    void shouldCarrySequentialCopiesOnOneKeepAliveConnection() throws Exception {
        Shadow shadow = server(new Shadow());
        ShadowIo.Pool pool = pool(shadow.url("/"), 4, 16);

        for (int i = 0; i < 20; i++) {
            ShadowResponse answer = offered(pool, get()).answer();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("shadow".getBytes(StandardCharsets.US_ASCII));
        }

        List<RecordedRequest> received = shadow.take(20);
        assertThat(received).extracting(RecordedRequest::getConnectionIndex).containsOnly(0);
        assertThat(received).extracting(RecordedRequest::getExchangeIndex)
                .containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
        assertThat(io.connectionCount()).isEqualTo(1);
    }

    @Test
    void shouldOpenNoMoreThanMaxConnectionsForABurst() throws Exception {
        Shadow shadow = server(new Shadow());
        ShadowIo.Pool pool = pool(shadow.url("/"), 3, 60);

        List<Copy> copies = IntStream.range(0, 60).mapToObj(i -> offered(pool, get())).toList();

        for (Copy copy : copies) {
            assertThat(copy.answer().status()).isEqualTo(200);
        }
        assertThat(shadow.take(60).stream().map(RecordedRequest::getConnectionIndex).distinct())
                .as("connections used").hasSizeBetween(1, 3);
        assertThat(io.connectionCount()).isBetween(1, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.0 200 OK\r\n\r\nok"})
    void shouldAnswerEveryCopyWhenTheShadowClosesAfterEachAnswer(String answer) throws Exception {
        RawShadow shadow = server(new RawShadow(answer, true));
        ShadowIo.Pool pool = pool(shadow.url(), 2, 10);

        List<Copy> copies = IntStream.range(0, 10).mapToObj(i -> offered(pool, get())).toList();

        for (Copy copy : copies) {
            assertThat(copy.answer().body()).isEqualTo(Wire.bytes("ok"));
        }
        assertThat(shadow.accepted()).as("a connection per copy").isEqualTo(10);
        await().untilAsserted(() -> assertThat(io.connectionCount()).isZero());
    }

    @Test
    void shouldOpenAFreshConnectionAfterTheShadowClosedAnIdleOne() throws Exception {
        // The shadow says nothing of closing: the I/O thread sees the connection end while it is idle.
        RawShadow shadow = server(new RawShadow(OK, true));
        ShadowIo.Pool pool = pool(shadow.url(), 1, 4);
        assertThat(offered(pool, get()).answer().status()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(io.connectionCount()).isZero());

        assertThat(offered(pool, get()).answer().status()).isEqualTo(200);

        assertThat(shadow.accepted()).isEqualTo(2);
    }

    @Test
    void shouldGiveUpAnAnswerLongerThanTheCaptureLimitAndItsConnection() throws Exception {
        RawShadow shadow = server(new RawShadow("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x".repeat(100), false));
        io(CONNECT_TIMEOUT, TIMEOUT, 10);
        ShadowIo.Pool pool = pool(shadow.url(), 1, 4);

        for (int i = 0; i < 2; i++) {
            ShadowResponse answer = offered(pool, get()).answer();
            assertThat(answer.body()).isEqualTo(Wire.bytes("x".repeat(10)));
            assertThat(answer.truncated()).isTrue();
        }

        // Reused, the second copy would have read the first one's unread body as its answer.
        assertThat(shadow.accepted()).isEqualTo(2);
    }

    @Test
    void shouldReadNoBodyAfterHeadAndKeepTheConnection() throws Exception {
        RawShadow shadow = server(new RawShadow("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", false));
        ShadowIo.Pool pool = pool(shadow.url(), 1, 4);

        for (int i = 0; i < 3; i++) {
            ShadowResponse answer = offered(pool, MirrorRequest.builder("HEAD", "/items/1").build()).answer();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyLength()).isZero();
        }

        assertThat(shadow.accepted()).isEqualTo(1);
    }

    @Test
    void shouldPutOnTheWireExactlyWhatRequestWriterSpells() throws Exception {
        RawShadow shadow = server(new RawShadow(OK, false));
        ShadowIo.Pool pool = pool(shadow.url() + "/v2", 1, 4);
        byte[] body = {0, 1, 2, (byte) 0xff, '\r', '\n', '\r', '\n'};
        MirrorRequest request = MirrorRequest.builder("POST", "/orders/7").query("dry-run=1&lang=fr")
                .header("Content-Type", "application/octet-stream").header("X-Name", "Fran\u00c3\u00a7ois")
                .body(body).build();

        assertThat(offered(pool, request).answer().status()).isEqualTo(200);

        byte[] spelled = Wire.bytes(RequestWriter.write(TargetAddress.of(shadow.url() + "/v2"), request));
        assertThat(shadow.requests()).hasSize(1);
        assertThat(shadow.requests().get(0)).isEqualTo(spelled);
        assertThat(new String(spelled, StandardCharsets.ISO_8859_1))
                .startsWith("POST /v2/orders/7?dry-run=1&lang=fr HTTP/1.1\r\nHost: 127.0.0.1:" + shadow.port() + "\r\n")
                .endsWith("Content-Length: 8\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldWriteABodyLargerThanTheSocketTakesAtOnceInFull() throws Exception {
        Shadow shadow = server(new Shadow());
        ShadowIo.Pool pool = pool(shadow.url("/"), 1, 4);
        byte[] body = new byte[8 * 1024 * 1024];
        new java.util.Random(7).nextBytes(body);
        MirrorRequest upload = MirrorRequest.builder("PUT", "/blobs/7").header("Content-Type", "application/octet-stream")
                .body(body).build();

        assertThat(offered(pool, upload).answer().status()).isEqualTo(200);
        assertThat(offered(pool, get()).answer().status()).as("the connection is whole after it").isEqualTo(200);

        List<RecordedRequest> received = shadow.take(2);
        assertThat(received.get(0).getBody().toByteArray()).isEqualTo(body);
        assertThat(received.get(0).getHeaders().get("Content-Length")).isEqualTo(String.valueOf(body.length));
        assertThat(received).extracting(RecordedRequest::getConnectionIndex).containsOnly(0);
    }

    @Test
    void shouldFailACopyThatCannotBeWrittenWithoutTouchingTheShadow() throws Exception {
        RawShadow shadow = server(new RawShadow(OK, false));
        ShadowIo.Pool pool = pool(shadow.url(), 1, 0);

        Throwable failure = offered(pool, MirrorRequest.builder("GET", "/").header("X-A", "a\r\nX-B: b").build()).failure();

        assertThat(failure).isInstanceOf(IllegalArgumentException.class);
        assertThat(io.connectionCount()).isZero();
        assertThat(offered(pool, get()).answer().status()).as("its room given back").isEqualTo(200);
        assertThat(shadow.requests()).hasSize(1);
    }

    @Test
    void shouldNeitherSendNorSettleACopyNoLongerWanted() throws Exception {
        RawShadow shadow = server(new RawShadow(OK, false));
        ShadowIo.Pool pool = pool(shadow.url(), 1, 0);
        Copy unwanted = new Copy(get(), false);
        assertThat(pool.offer(unwanted)).isTrue();

        await().until(pool::hasRoom);
        assertThat(offered(pool, get()).answer().status()).isEqualTo(200);

        assertThat(unwanted.outcome.isDone()).isFalse();
        assertThat(shadow.requests()).hasSize(1);
    }

    @Test
    void shouldTimeOutAShadowThatNeverAnswers() throws Exception {
        BlackHole blackHole = server(new BlackHole());
        io(CONNECT_TIMEOUT, Duration.ofMillis(300), 1024);
        ShadowIo.Pool pool = pool(blackHole.url(), 1, 0);

        Copy copy = offered(pool, get());

        assertThat(copy.failure()).isInstanceOf(SocketTimeoutException.class)
                .extracting(Throwable::getMessage).asString().doesNotContain("connect");
        assertThat(copy.nanos).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(blackHole.accepted()).isEqualTo(1);
        assertThat(io.connectionCount()).isZero();
    }

    @Test
    void shouldFailAtOnceOnAClosedPort() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        ShadowIo.Pool pool = pool("http://127.0.0.1:" + port, 1, 0);

        Copy copy = offered(pool, get());

        assertThat(copy.failure()).isInstanceOf(ConnectException.class);
        assertThat(copy.nanos).isLessThan(CONNECT_TIMEOUT.toNanos());
        assertThat(io.connectionCount()).isZero();
    }

    @Test
    void shouldTimeOutAConnectThatIsNeverAccepted() throws Exception {
        // A listener whose accept queue is full drops new SYNs: the connect hangs until timed out.
        ServerSocket listener = server(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        Assumptions.assumeTrue(fillAcceptQueue(listener), "this system completes connects to a full accept queue");
        io(Duration.ofMillis(300), TIMEOUT, 1024);
        ShadowIo.Pool pool = pool("http://127.0.0.1:" + listener.getLocalPort(), 1, 0);

        Copy copy = offered(pool, get());

        assertThat(copy.failure()).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("connect");
        assertThat(copy.nanos).isBetween(TimeUnit.MILLISECONDS.toNanos(300), TIMEOUT.toNanos());
        assertThat(io.connectionCount()).isZero();
    }

    /** Connects to the listener until a connect times out; {@code false} if none does. */
    private boolean fillAcceptQueue(ServerSocket listener) throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket filler = server(new Socket());
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 200);
            } catch (SocketTimeoutException full) {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldCloseTheChannelOfAConnectThatFailsAtOnce() throws Exception {
        // TCP to a broadcast address fails inside connect() ("Network is unreachable"); nothing leaves the host.
        ShadowIo.Pool pool = pool("http://255.255.255.255:9", 1, 0);
        Copy copy = new Copy(get(), true);
        copy.probe = io::connectionCount;
        assertThat(pool.offer(copy)).isTrue();

        assertThat(copy.failure()).isInstanceOf(IOException.class);
        assertThat(copy.probed).as("connections left when the copy failed").isZero();
    }

    @Test
    void shouldNotLetABlackHoleStarveAHealthyTarget() throws Exception {
        BlackHole blackHole = server(new BlackHole());
        Shadow healthy = server(new Shadow());
        io(CONNECT_TIMEOUT, Duration.ofSeconds(20), 1024);
        ShadowIo.Pool held = pool(blackHole.url(), 4, 16);
        ShadowIo.Pool answered = pool(healthy.url("/"), 4, 100);
        List<Copy> stuck = IntStream.range(0, 20).mapToObj(i -> offered(held, get())).toList();
        await().untilAsserted(() -> assertThat(blackHole.accepted()).isEqualTo(4));

        long start = System.nanoTime();
        List<Copy> copies = IntStream.range(0, 100).mapToObj(i -> offered(answered, get())).toList();
        for (Copy copy : copies) {
            assertThat(copy.answer().status()).isEqualTo(200);
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(stuck).noneMatch(copy -> copy.outcome.isDone());
        assertThat(held.hasRoom()).as("the black hole's lane is full").isFalse();
        assertThat(answered.hasRoom()).isTrue();
    }

    @Test
    void shouldHoldNoMoreThanItsCapacityAndTakeCopiesAgainOnceTheySettle() throws Exception {
        BlackHole blackHole = server(new BlackHole());
        io(CONNECT_TIMEOUT, Duration.ofMillis(200), 1024);
        ShadowIo.Pool pool = pool(blackHole.url(), 1, 2);
        List<Copy> held = IntStream.range(0, 3).mapToObj(i -> offered(pool, get())).toList();

        assertThat(pool.hasRoom()).isFalse();
        assertThat(pool.offer(new Copy(get(), true))).as("the fourth copy").isFalse();

        for (Copy copy : held) {
            assertThat(copy.failure()).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(blackHole.accepted()).as("one connection at a time").isEqualTo(3);
        await().until(pool::hasRoom);
        assertThat(pool.offer(new Copy(get(), true))).isTrue();
    }

    @Test
    void shouldFailQueuedAndInFlightCopiesOnCloseAndEndItsThread() throws Exception {
        BlackHole blackHole = server(new BlackHole());
        Set<Thread> before = Threads.live();
        io(CONNECT_TIMEOUT, Duration.ofSeconds(20), 1024);
        assertThat(Threads.startedSince(before)).contains("trafficmirror-io");
        ShadowIo.Pool pool = pool(blackHole.url(), 1, 1);
        Copy inFlight = offered(pool, get());
        Copy queued = offered(pool, get());
        await().untilAsserted(() -> assertThat(blackHole.accepted()).isEqualTo(1));

        io.close();

        for (Copy copy : List.of(inFlight, queued)) {
            assertThat(copy.outcome).as("settled by close()").isDone();
            assertThat(copy.failure()).isExactlyInstanceOf(IOException.class).hasMessage("mirror closed");
        }
        assertThat(pool.offer(new Copy(get(), true))).isFalse();
        assertThat(pool.hasRoom()).isFalse();
        assertThat(io.connectionCount()).isZero();
        assertThat(Threads.startedSince(before)).doesNotContain("trafficmirror-io");
    }

    @Test
    void shouldTakeAnAnswerSentBeforeTheUploadWasReadAndDropTheConnection() throws Exception {
        RawShadow shadow = server(new RawShadow(
                "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbig!",
                RawShadow.Manner.ANSWER_BEFORE_BODY));
        ShadowIo.Pool pool = pool(shadow.url(), 1, 4);
        // Far more than the socket buffers hold: the write stalls, and only reading finds the answer.
        MirrorRequest upload = MirrorRequest.builder("PUT", "/blobs/7").body(new byte[32 * 1024 * 1024]).build();

        Copy copy = offered(pool, upload);

        assertThat(copy.answer().status()).isEqualTo(413);
        assertThat(copy.answer().body()).isEqualTo(Wire.bytes("big!"));
        assertThat(copy.nanos).as("answered, not timed out").isLessThan(TIMEOUT.toNanos());
        await().untilAsserted(() -> assertThat(io.connectionCount()).isZero());
    }

    @Test
    void shouldNotReuseAConnectionAfterAnAnswerWithBothTransferEncodingAndContentLength() throws Exception {
        // RFC 9112, 6.3: such an answer may be an attempt at smuggling; what follows it cannot be trusted.
        RawShadow shadow = server(new RawShadow(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\nok\r\n0\r\n\r\n", false));
        ShadowIo.Pool pool = pool(shadow.url(), 1, 4);

        for (int i = 0; i < 2; i++) {
            assertThat(offered(pool, get()).answer().body()).isEqualTo(Wire.bytes("ok"));
        }

        assertThat(shadow.accepted()).isEqualTo(2);
    }

    @Test
    void shouldSendAnIdempotentCopyOnceMoreWhenTheShadowHungUpOnItsKeptAliveConnection() throws Exception {
        RawShadow shadow = server(new RawShadow(OK, RawShadow.Manner.HANG_UP_ON_SECOND));
        ShadowIo.Pool pool = pool(shadow.url(), 1, 4);
        assertThat(offered(pool, get()).answer().status()).isEqualTo(200);

        ShadowResponse second = offered(pool, get()).answer();

        assertThat(second.status()).isEqualTo(200);
        assertThat(shadow.accepted()).as("a new connection for the second copy").isEqualTo(2);
        assertThat(shadow.requests()).as("the second copy sent twice").hasSize(3);
    }

    @Test
    void shouldNotSendACopyThatChangesStateTwiceWhenTheShadowMayHaveReadIt() throws Exception {
        RawShadow shadow = server(new RawShadow(OK, RawShadow.Manner.HANG_UP_ON_SECOND));
        ShadowIo.Pool pool = pool(shadow.url(), 1, 4);
        MirrorRequest post = MirrorRequest.builder("POST", "/orders").body(Wire.bytes("{}")).build();
        assertThat(offered(pool, post).answer().status()).isEqualTo(200);

        Throwable failure = offered(pool, post).failure();

        assertThat(failure).isInstanceOf(IOException.class);
        assertThat(shadow.requests()).as("each copy sent once").hasSize(2);
        assertThat(shadow.accepted()).isEqualTo(1);
    }

    @Test
    void shouldFailCopiesToAHostWhoseLookupHangsWithoutHoldingUpAnotherTarget() throws Exception {
        Shadow healthy = server(new Shadow());
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger lookups = new AtomicInteger();
        io = new ShadowIo(Duration.ofMillis(300), TIMEOUT, 1024, host -> {
            if (!host.equals("hangs.test")) {
                return InetAddress.getByName(host);
            }
            lookups.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        }, Duration.ofSeconds(30));
        io.start();
        try {
            ShadowIo.Pool hanging = pool("http://hangs.test:9", 1, 8);
            ShadowIo.Pool answered = pool(healthy.url("/"), 1, 8);
            List<Copy> waiting = IntStream.range(0, 5).mapToObj(i -> offered(hanging, get())).toList();

            for (int i = 0; i < 5; i++) {
                assertThat(offered(answered, get()).answer().status()).isEqualTo(200);
            }
            for (Copy copy : waiting) {
                assertThat(copy.failure()).isInstanceOf(UnknownHostException.class).hasMessageContaining("connect timeout");
                assertThat(copy.nanos).isZero();
            }
            assertThat(lookups).as("one lookup at a time").hasValue(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldFailCopiesAtOnceForAWhileAfterALookupFailed() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        io = new ShadowIo(CONNECT_TIMEOUT, TIMEOUT, 1024, host -> {
            lookups.incrementAndGet();
            throw new UnknownHostException(host);
        }, Duration.ofSeconds(30));
        io.start();
        ShadowIo.Pool pool = pool("http://nowhere.test:9", 1, 8);

        assertThat(offered(pool, get()).failure()).isInstanceOf(UnknownHostException.class).hasMessage("nowhere.test");
        assertThat(offered(pool, get()).failure()).isInstanceOf(UnknownHostException.class);

        assertThat(lookups).as("the failure remembered").hasValue(1);
    }

    @Test
    void shouldKeepSendingToTheKnownAddressWhileTheNameServerFails() throws Exception {
        // A new connection per copy, so that each needs the address.
        RawShadow shadow = server(new RawShadow(OK, true));
        AtomicInteger lookups = new AtomicInteger();
        io = new ShadowIo(CONNECT_TIMEOUT, TIMEOUT, 1024, host -> {
            if (lookups.incrementAndGet() > 1) {
                throw new UnknownHostException(host);
            }
            return InetAddress.getLoopbackAddress();
        }, Duration.ZERO);
        io.start();
        ShadowIo.Pool pool = pool("http://shadow.test:" + shadow.port(), 1, 8);

        for (int i = 0; i < 5; i++) {
            assertThat(offered(pool, get()).answer().status()).isEqualTo(200);
        }

        assertThat(lookups).as("looked up again, and failing").hasValueGreaterThan(1);
    }

    @Test
    void shouldBackOffWhileTheLoopKeepsFailingAndNotSpin() {
        // Every copy's failure is settled where it happens (the cases above); what reaches the loop's
        // last-resort catch (an Error in the loop itself) must not turn it into a busy spin.
        List<Long> waits = new ArrayList<>();
        long wait = 0;
        for (int i = 0; i < 14; i++) {
            wait = ShadowIo.nextBackoff(wait);
            waits.add(wait);
        }

        assertThat(waits).startsWith(1L, 2L, 4L, 8L, 16L).isSorted().endsWith(1_000L, 1_000L);
        assertThat(ShadowIo.nextBackoff(0)).as("after a turn that went well").isEqualTo(1);
    }

    /** A copy handed to {@link ShadowIo}, recording how and when it settled. */
    private static final class Copy implements ShadowIo.Delivery {
        private final MirrorRequest request;
        private final boolean wanted;
        final CompletableFuture<ShadowResponse> outcome = new CompletableFuture<>();
        volatile long nanos = -1;
        /** Asked on the I/O thread as the copy settles, for a state that may change right after. */
        volatile IntSupplier probe = () -> -1;
        volatile int probed = -1;

        Copy(MirrorRequest request, boolean wanted) {
            this.request = request;
            this.wanted = wanted;
        }

        @Override
        public MirrorRequest request() {
            return request;
        }

        @Override
        public boolean stillWanted() {
            return wanted;
        }

        @Override
        public void answered(ShadowResponse response, long nanos) {
            settled(nanos);
            outcome.complete(response);
        }

        @Override
        public void failed(Throwable failure, long nanos) {
            settled(nanos);
            outcome.completeExceptionally(failure);
        }

        private void settled(long took) {
            nanos = took;
            probed = probe.getAsInt();
        }

        ShadowResponse answer() throws Exception {
            return outcome.get(5, TimeUnit.SECONDS);
        }

        Throwable failure() throws Exception {
            try {
                throw new AssertionError("answered: " + outcome.get(5, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }
    }
}
