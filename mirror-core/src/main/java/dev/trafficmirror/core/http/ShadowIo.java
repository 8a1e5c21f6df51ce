package dev.trafficmirror.core.http;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.core.TargetTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every target's copies, plain HTTP and HTTPS, from a single thread that never blocks on a
 * shadow: each target has its own queue and at most {@code maxConnections} keep-alive connections,
 * each carrying one exchange at a time, and one selector watches them all.
 *
 * <p>Why not a library's client: a bake-off of the JDK's, Jetty's, Apache's and OkHttp's clients
 * against this one (docs/benchmarks.md) found them spending 2 to 15 times more of the primary's CPU
 * per copy, mostly in waking threads. Here a request thread only adds the copy to a queue; the I/O
 * thread, while it has work, looks at its queues once a millisecond and at its sockets whenever
 * they are ready, so that under load one wake-up sends and receives many copies. When it has had
 * nothing to do for {@link #LINGER_NANOS} it sleeps until the next copy wakes it.
 *
 * <p>A copy's exchange is bounded by the timeout from the moment it leaves the queue, TLS handshake
 * included, its TCP connect by the connect timeout: a handshake is CPU work on both ends, which a
 * busy or just-started JVM (its TLS classes not loaded yet) can take well over a second for. Host names are resolved off this thread, one
 * lookup at a time per target, and kept for {@link #RESOLVED}: a resolver that hangs for one
 * target delays no other. A shadow that answers before it has read the whole request (a 401, a
 * 413) has answered. A kept-alive connection the shadow closed just as a copy went on it is the
 * client's race, not the shadow's failure: the copy is sent once more, on a new connection, when
 * not a byte of it went out, or, for an idempotent method (RFC 9110, 9.2.2), when not a byte of an
 * answer came back. A lookup that fails while an address is known keeps using that address.
 */
public final class ShadowIo implements AutoCloseable {

    /** One copy on its way through; its lane decides, counts and settles. */
    public interface Delivery {
        /** The copy, as it goes on the wire. */
        MirrorRequest request();

        /** Asked when the copy's turn comes; {@code false} when its lane no longer wants it sent (already settled). */
        boolean stillWanted();

        void answered(ShadowResponse response, long nanos);

        void failed(Throwable failure, long nanos);
    }

    /** How a host name becomes an address; {@link InetAddress#getByName} unless a test says otherwise. */
    @FunctionalInterface
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);
    private static final long TICK_MILLIS = 1;
    private static final long IDLE_SELECT_MILLIS = 1_000;
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long KEEP_ALIVE_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How long a resolved address is used; the JVM's own cache (30 s by default) sits below. */
    private static final Duration RESOLVED = Duration.ofSeconds(30);
    /** How long a failed lookup fails new copies at once, rather than each waiting its turn. */
    private static final long UNRESOLVED_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_BACKOFF_MILLIS = 1_000;
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    private final Selector selector;
    private final Thread thread;
    private final long connectTimeoutNanos;
    private final long timeoutNanos;
    private final int captureLimit;
    private final Resolver resolver;
    private final long resolvedNanos;
    private final ExecutorService lookups;
    private final List<Pool> pools = new CopyOnWriteArrayList<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private volatile boolean closed;

    public ShadowIo(Duration connectTimeout, Duration timeout, int captureLimit) {
        this(connectTimeout, timeout, captureLimit, InetAddress::getByName, RESOLVED);
    }

    /** @param resolvedFor how long a resolved address is used before it is looked up again */
    ShadowIo(Duration connectTimeout, Duration timeout, int captureLimit, Resolver resolver, Duration resolvedFor) {
        this.connectTimeoutNanos = connectTimeout.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.captureLimit = captureLimit;
        this.resolver = resolver;
        this.resolvedNanos = resolvedFor.toNanos();
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a selector for the mirror", e);
        }
        this.thread = new Thread(this::run, "trafficmirror-io");
        thread.setDaemon(true);
        // At most one lookup per target at a time, so at most as many threads as targets resolving.
        this.lookups = Executors.newCachedThreadPool(task -> {
            Thread lookup = new Thread(task, "trafficmirror-dns");
            lookup.setDaemon(true);
            return lookup;
        });
    }

    /** Starts the I/O thread, once the pools are made: a mirror that fails to build leaves none behind. */
    public void start() {
        thread.start();
    }

    /**
     * A target's queue and connections: {@code maxConnections} exchanges at once, {@code queueCapacity}
     * waiting. An {@code https} target's connections use its own {@link TargetTls}, asked again for
     * each new connection (so that reloaded certificates take effect), or the JVM's default context.
     */
    public Pool pool(MirrorTarget target, int maxConnections, int queueCapacity) {
        TargetAddress address = TargetAddress.of(target.url());
        Supplier<TargetTls> tls = !address.tls() ? null : target.tls().orElse(ShadowIo::defaultTls);
        Pool pool = new Pool(address, tls, maxConnections, queueCapacity);
        pools.add(pool);
        return pool;
    }

    private static TargetTls defaultTls() {
        try {
            return TargetTls.of(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default TLS context", e);
        }
    }

    /** Fails what is queued or in flight ({@code mirror closed}) and stops the thread. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lookups.shutdownNow();
    }

    /** Open connections across targets, idle or busy; for tests that look for leaks. */
    public int connectionCount() {
        return pools.stream().mapToInt(pool -> pool.openCount).sum();
    }

    private void wakeUp() {
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    /** A copy taken, with what its sending needs: its bytes, and whether it was sent once already. */
    private static final class Exchange {
        final Delivery delivery;
        ByteBuffer[] bytes;
        boolean retried;

        Exchange(Delivery delivery) {
            this.delivery = delivery;
        }
    }

    /** One target's queue, connections and address. */
    public final class Pool {
        private final TargetAddress address;
        private final Supplier<TargetTls> tls;
        private final int maxConnections;
        private final int capacity;
        private final AtomicInteger admitted = new AtomicInteger();
        private final ConcurrentLinkedDeque<Exchange> queue = new ConcurrentLinkedDeque<>();
        // The rest belongs to the I/O thread, but for the lookup's result, handed over by a volatile.
        private final ArrayDeque<Connection> idle = new ArrayDeque<>();
        private final List<Connection> connections = new ArrayList<>();
        private volatile int openCount;
        private volatile Lookup lookup;

        private Pool(TargetAddress address, Supplier<TargetTls> tls, int maxConnections, int queueCapacity) {
            this.address = address;
            this.tls = tls;
            this.maxConnections = maxConnections;
            this.capacity = maxConnections + queueCapacity;
        }

        /** Whether a copy offered now would be taken (it may not be, a moment later). */
        public boolean hasRoom() {
            return admitted.get() < capacity && !closed;
        }

        /** Queues a copy; never blocks. {@code false} when the target already has as many as it may. */
        public boolean offer(Delivery delivery) {
            if (closed) {
                return false;
            }
            if (admitted.incrementAndGet() > capacity) {
                admitted.decrementAndGet();
                return false;
            }
            Exchange exchange = new Exchange(delivery);
            queue.add(exchange);
            if (closed && queue.remove(exchange)) {
                // The I/O thread may have finished already: nobody else would ever settle it.
                admitted.decrementAndGet();
                return false;
            }
            wakeUp();
            return true;
        }

        private void startQueued(long now) {
            while (!queue.isEmpty() && (!idle.isEmpty() || connections.size() < maxConnections)) {
                InetAddress target = null;
                if (idle.isEmpty()) {
                    target = resolved(now);
                    if (target == null) {
                        return; // the copies wait for the lookup, or were failed by it
                    }
                }
                Exchange exchange = queue.poll();
                if (exchange == null || !wanted(exchange.delivery)) {
                    continue;
                }
                try {
                    exchange.bytes = RequestWriter.write(address, exchange.delivery.request());
                } catch (Throwable invalid) {
                    settle(() -> exchange.delivery.failed(invalid, 0));
                    continue;
                }
                start(exchange, target, now);
            }
        }

        /** Sends an exchange on an idle connection, or on a new one to {@code target}. */
        private void start(Exchange exchange, InetAddress target, long now) {
            Connection connection = idle.pollFirst();
            try {
                if (connection == null) {
                    connection = open(target, now);
                }
                connection.start(exchange, now);
            } catch (Throwable failure) {
                if (connection != null) {
                    connection.close();
                }
                settle(() -> exchange.delivery.failed(failure, System.nanoTime() - now));
            }
        }

        /**
         * The target's address: the last one resolved, while it is fresh or while a newer lookup runs;
         * otherwise a lookup (one at a time) is started and the copies wait for it ({@code null}). A
         * lookup that failed, or takes longer than the connect timeout, fails the copies waiting for it
         * ({@code connect}).
         */
        private InetAddress resolved(long now) {
            Lookup current = lookup;
            if (current == null) {
                lookUp(now, null);
                return null;
            }
            if (!current.done()) {
                if (current.previous != null) {
                    return current.previous;
                }
                if (now - current.startedAt > connectTimeoutNanos) {
                    failQueued(new UnknownHostException(address.host() + ": the lookup took longer than the connect"
                            + " timeout"));
                }
                return null;
            }
            if (current.address != null) {
                if (now - current.finishedAt >= resolvedNanos) {
                    lookUp(now, current.address);
                }
                return current.address;
            }
            if (now - current.finishedAt < UNRESOLVED_NANOS) {
                failQueued(current.failure);
            } else {
                lookUp(now, null);
            }
            return null;
        }

        /** Starts a lookup; {@code previous} is used meanwhile, when there is one. */
        private void lookUp(long now, InetAddress previous) {
            Lookup started = new Lookup(now, previous);
            lookup = started;
            try {
                lookups.execute(() -> started.run(address.host()));
            } catch (RuntimeException rejected) {
                started.fail(new UnknownHostException(address.host() + ": no lookup could be started"));
            }
        }

        private void failQueued(Throwable failure) {
            for (Exchange exchange; (exchange = queue.poll()) != null; ) {
                Exchange failed = exchange;
                if (wanted(failed.delivery)) {
                    settle(() -> failed.delivery.failed(failure, 0));
                }
            }
        }

        private boolean wanted(Delivery delivery) {
            boolean wanted;
            try {
                wanted = delivery.stillWanted();
            } catch (Throwable e) {
                settle(() -> delivery.failed(e, 0));
                return false;
            }
            if (!wanted) {
                admitted.decrementAndGet();
            }
            return wanted;
        }

        private void settle(Runnable outcome) {
            admitted.decrementAndGet();
            try {
                outcome.run();
            } catch (Throwable e) {
                log.warn("A mirror lane failed settling a copy", e);
            }
        }

        private Connection open(InetAddress target, long now) throws IOException {
            SocketChannel channel = SocketChannel.open();
            Connection connection = new Connection(this, channel);
            connections.add(connection);
            openCount = connections.size();
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (tls != null) {
                    connection.tls = new TlsChannel(channel, tls.get(), address.host(), address.port());
                    connection.tls.begin();
                }
                boolean connected = channel.connect(new InetSocketAddress(target, address.port()));
                connection.key = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, connection);
                connection.connectDeadline = connected ? Long.MAX_VALUE : now + connectTimeoutNanos;
                connection.state = connected ? (tls != null ? State.HANDSHAKING : State.SENDING) : State.CONNECTING;
            } catch (IOException | RuntimeException failure) {
                // connect() can fail at once (an unreachable network): the caller never sees this connection.
                connection.close();
                throw failure;
            }
            return connection;
        }

        private void expire(long now) {
            // Backwards: closing a connection removes it from the list, and nothing after it moves.
            for (int i = connections.size() - 1; i >= 0; i--) {
                Connection connection = connections.get(i);
                if (connection.exchange == null) {
                    if (now - connection.idleSince > KEEP_ALIVE_NANOS) {
                        connection.close();
                    }
                } else if (now > connection.connectDeadline) {
                    connection.fail(new SocketTimeoutException("connect timed out"));
                } else if (now > connection.deadline) {
                    connection.fail(new SocketTimeoutException("timeout"));
                }
            }
        }

        private void shutdown() {
            IOException closing = new IOException("mirror closed");
            for (Connection connection : List.copyOf(connections)) {
                if (connection.exchange != null) {
                    connection.fail(closing);
                } else {
                    connection.close();
                }
            }
            for (Exchange exchange; (exchange = queue.poll()) != null; ) {
                Exchange queued = exchange;
                settle(() -> queued.delivery.failed(closing, 0));
            }
        }

        /** One lookup of the target's host, on a lookup thread; its result read by the I/O thread. */
        private final class Lookup {
            final long startedAt;
            final InetAddress previous;
            volatile InetAddress address;
            volatile Throwable failure;
            volatile long finishedAt;
            private volatile boolean done;

            Lookup(long startedAt, InetAddress previous) {
                this.startedAt = startedAt;
                this.previous = previous;
            }

            void run(String host) {
                try {
                    address = resolver.resolve(host);
                } catch (Throwable e) {
                    failure = e instanceof UnknownHostException ? e : new UnknownHostException(host + ": " + e);
                    // A name server that fails for a while should not stop copies to a known address.
                    address = previous;
                }
                finish();
            }

            void fail(Throwable e) {
                failure = e;
                finish();
            }

            private void finish() {
                finishedAt = System.nanoTime();
                done = true;
                wakeUp();
            }

            boolean done() {
                return done;
            }
        }
    }

    private enum State { CONNECTING, HANDSHAKING, SENDING, RECEIVING, IDLE }

    /** One keep-alive connection to a target, carrying one exchange at a time. */
    private final class Connection {
        private final Pool pool;
        private final SocketChannel channel;
        private SelectionKey key;
        private TlsChannel tls;
        private State state = State.CONNECTING;
        private Exchange exchange;
        private ResponseReader reader;
        private boolean reused;
        private long written;
        /** Whether any byte of the current exchange's answer came. */
        private boolean answering;
        private long started;
        private long deadline = Long.MAX_VALUE;
        private long connectDeadline = Long.MAX_VALUE;
        private long idleSince;

        Connection(Pool pool, SocketChannel channel) {
            this.pool = pool;
            this.channel = channel;
        }

        void start(Exchange next, long now) throws IOException {
            exchange = next;
            reader = new ResponseReader(next.delivery.request().method().equals("HEAD"), captureLimit);
            written = 0;
            answering = false;
            started = now;
            deadline = now + timeoutNanos;
            if (state == State.IDLE) {
                reused = true;
                state = State.SENDING;
            }
            if (state == State.HANDSHAKING) {
                handshake();
            } else if (state == State.SENDING) {
                send();
            }
        }

        void ready() throws IOException {
            switch (state) {
                case CONNECTING -> {
                    if (key.isConnectable()) {
                        channel.finishConnect();
                        connectDeadline = Long.MAX_VALUE;
                        if (tls != null) {
                            state = State.HANDSHAKING;
                            handshake();
                        } else {
                            state = State.SENDING;
                            send();
                        }
                    }
                }
                case HANDSHAKING -> handshake();
                case SENDING -> {
                    // Read first: a shadow may answer (and close) before it has read the whole request.
                    if (key.isReadable() && receive()) {
                        return;
                    }
                    if (key.isValid() && key.isWritable()) {
                        send();
                    }
                }
                case RECEIVING -> receive();
                case IDLE -> idleRead();
            }
        }

        private void handshake() throws IOException {
            if (tls.handshake()) {
                state = State.SENDING;
                send();
            } else {
                key.interestOps(tls.wantsWrite() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }
        }

        private void send() throws IOException {
            ByteBuffer[] out = exchange.bytes;
            long before = remaining(out);
            boolean done;
            try {
                done = tls != null ? tls.write(out) : writePlain(out);
            } catch (IOException failure) {
                written += before - remaining(out);
                writeFailed(failure);
                return;
            }
            written += before - remaining(out);
            if (done) {
                state = State.RECEIVING;
                key.interestOps(SelectionKey.OP_READ);
            } else {
                key.interestOps(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
            }
        }

        private boolean writePlain(ByteBuffer[] out) throws IOException {
            channel.write(out);
            return !out[out.length - 1].hasRemaining();
        }

        /**
         * The write failed: an answer the shadow sent before closing (a 413 to a large upload) is the
         * copy's answer; otherwise the copy failed (and may go once more, see {@link #fail}).
         */
        private void writeFailed(IOException failure) {
            Exchange failed = exchange;
            try {
                if (receive()) {
                    return;
                }
            } catch (IOException | RuntimeException ignored) {
                // Nothing readable either: the write's failure is what counts.
            }
            if (exchange == failed) {
                fail(failure);
            }
        }

        /**
         * Reads what the socket has into the response.
         *
         * @return whether the exchange is settled (answered or failed)
         */
        private boolean receive() throws IOException {
            while (true) {
                readBuffer.clear();
                int count = tls != null ? tls.read(readBuffer) : channel.read(readBuffer);
                if (count == 0) {
                    return false;
                }
                if (count < 0) {
                    reader.endOfStream();
                    answered(false);
                    return true;
                }
                answering = true;
                readBuffer.flip();
                if (reader.read(readBuffer)) {
                    // An answer before the whole request went out leaves the connection unusable.
                    answered(state == State.RECEIVING && !readBuffer.hasRemaining() && reader.reusable());
                    return true;
                }
            }
        }

        /** An idle connection that reads anything was closed by the shadow, or spoke out of turn: done. */
        private void idleRead() throws IOException {
            readBuffer.clear();
            int count = tls != null ? tls.read(readBuffer) : channel.read(readBuffer);
            if (count != 0) {
                close();
            }
        }

        private void answered(boolean reusable) {
            Delivery done = exchange.delivery;
            ShadowResponse response = reader.response();
            long nanos = System.nanoTime() - started;
            release(reusable);
            pool.settle(() -> done.answered(response, nanos));
        }

        void fail(Throwable failure) {
            Exchange done = exchange;
            long nanos = System.nanoTime() - started;
            release(false);
            if (done == null) {
                return;
            }
            if (closedUnderIt(done, failure)) {
                done.retried = true;
                pool.queue.addFirst(done);
            } else {
                pool.settle(() -> done.delivery.failed(failure, nanos));
            }
        }

        /** Whether the shadow closed this kept-alive connection as the exchange went on it (see the class comment). */
        private boolean closedUnderIt(Exchange done, Throwable failure) {
            return reused && !done.retried && !closed && !answering
                    && failure instanceof IOException && !(failure instanceof SocketTimeoutException)
                    && (written == 0 || IDEMPOTENT.contains(done.delivery.request().method()));
        }

        private void release(boolean reusable) {
            exchange = null;
            reader = null;
            deadline = Long.MAX_VALUE;
            if (reusable) {
                state = State.IDLE;
                idleSince = System.nanoTime();
                key.interestOps(SelectionKey.OP_READ);
                pool.idle.addFirst(this);
            } else {
                close();
            }
        }

        void close() {
            pool.idle.remove(this);
            pool.connections.remove(this);
            pool.openCount = pool.connections.size();
            if (tls != null && channel.isConnected()) {
                tls.close();
            }
            if (key != null) {
                key.cancel();
            }
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("Closing a connection to a shadow failed", e);
            }
        }
    }

    private static long remaining(ByteBuffer[] buffers) {
        long remaining = 0;
        for (ByteBuffer buffer : buffers) {
            remaining += buffer.remaining();
        }
        return remaining;
    }

    private void run() {
        long lastBusy = System.nanoTime();
        long backoff = 0;
        try {
            while (!closed) {
                try {
                    lastBusy = turn(lastBusy);
                    backoff = 0;
                } catch (ClosedSelectorException e) {
                    break;
                } catch (Throwable e) {
                    // Even an Error (out of memory while capturing an answer): nobody else would settle
                    // what is queued and in flight, so the loop goes on, as a replaced sender would, but
                    // backs off while it keeps failing, rather than spin.
                    log.warn("The mirror's I/O loop failed; it goes on", e);
                    backoff = nextBackoff(backoff);
                    sleep(backoff);
                }
            }
        } finally {
            pools.forEach(Pool::shutdown);
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("Closing the mirror's selector failed", e);
        }
    }

    /** 1, 2, 4 ... ms after each failure in a row, at most {@value #MAX_BACKOFF_MILLIS} ms. */
    static long nextBackoff(long previousMillis) {
        return Math.min(MAX_BACKOFF_MILLIS, Math.max(1, previousMillis * 2));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One turn of the loop: wait for sockets, the next tick or (idle) the next copy, then handle
     * what is ready, expire what is late and start what is queued. A method of its own, so that the
     * JIT compiles it whole rather than replacing the loop on the stack.
     *
     * @return when the loop last had something in flight or queued
     */
    private long turn(long lastBusy) throws IOException {
        long now = System.nanoTime();
        boolean busy = false;
        for (Pool pool : pools) {
            busy |= !pool.queue.isEmpty() || pool.idle.size() < pool.connections.size();
        }
        if (busy || now - lastBusy < LINGER_NANOS) {
            selector.select(TICK_MILLIS);
        } else {
            sleeping.set(true);
            if (pools.stream().allMatch(pool -> pool.queue.isEmpty())) {
                selector.select(IDLE_SELECT_MILLIS);
            }
            sleeping.set(false);
        }
        for (SelectionKey key : selector.selectedKeys()) {
            Connection connection = (Connection) key.attachment();
            try {
                if (key.isValid()) {
                    connection.ready();
                }
            } catch (Throwable failure) {
                connection.fail(failure);
            }
        }
        selector.selectedKeys().clear();
        now = System.nanoTime();
        for (Pool pool : pools) {
            pool.expire(now);
            pool.startQueued(now);
        }
        return busy ? now : lastBusy;
    }
}
