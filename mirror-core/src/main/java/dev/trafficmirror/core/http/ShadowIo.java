package dev.trafficmirror.core.http;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.MirrorTarget;
import dev.trafficmirror.core.ShadowResponse;
import dev.trafficmirror.core.Mirror;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the copies of plain-HTTP targets from a single thread that never blocks on a shadow: each
 * target has its own queue and at most {@code maxConnections} keep-alive connections, each carrying
 * one exchange at a time, and one selector watches them all.
 *
 * <p>Why not a thread per exchange: a blocking client parks and wakes a thread for every copy,
 * which on a busy host costs the primary several times what the copy itself costs. Here a request
 * thread only adds the copy to a queue; the I/O thread, while it has work, looks at its queues once
 * a millisecond and at its sockets whenever they are ready, so that under load one wake-up sends
 * and receives many copies. When it has had nothing to do for {@link #LINGER_NANOS} it sleeps until
 * the next copy wakes it.
 *
 * <p>A copy's exchange is bounded by the timeout from the moment it leaves the queue, connecting
 * by the connect timeout; host names are resolved on this thread when a connection is opened, with
 * the JVM's address cache.
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

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);
    private static final long TICK_MILLIS = 1;
    private static final long IDLE_SELECT_MILLIS = 1_000;
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long KEEP_ALIVE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Selector selector;
    private final Thread thread;
    private final long connectTimeoutNanos;
    private final long timeoutNanos;
    private final int captureLimit;
    private final List<Pool> pools = new CopyOnWriteArrayList<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private volatile boolean closed;

    public ShadowIo(Duration connectTimeout, Duration timeout, int captureLimit) {
        this.connectTimeoutNanos = connectTimeout.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.captureLimit = captureLimit;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a selector for the mirror", e);
        }
        this.thread = new Thread(this::run, "trafficmirror-io");
        thread.setDaemon(true);
    }

    /** Starts the I/O thread, once the pools are made: a mirror that fails to build leaves none behind. */
    public void start() {
        thread.start();
    }

    /** A target's queue and connections: {@code maxConnections} exchanges at once, {@code queueCapacity} waiting. */
    public Pool pool(MirrorTarget target, int maxConnections, int queueCapacity) {
        Pool pool = new Pool(HttpUrl.get(target.url()), maxConnections, queueCapacity);
        pools.add(pool);
        return pool;
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
    }

    /** Open connections across targets, idle or busy; for tests that look for leaks. */
    public int connectionCount() {
        return pools.stream().mapToInt(pool -> pool.openCount).sum();
    }

    /** One target's queue and connections, made by {@link ShadowIo#pool}. */
    public final class Pool {
        private final HttpUrl base;
        private final int maxConnections;
        private final int capacity;
        private final AtomicInteger admitted = new AtomicInteger();
        private final Queue<Delivery> queue = new ConcurrentLinkedQueue<>();
        // The rest belongs to the I/O thread.
        private final ArrayDeque<Connection> idle = new ArrayDeque<>();
        private final List<Connection> connections = new ArrayList<>();
        private volatile int openCount;

        private Pool(HttpUrl base, int maxConnections, int queueCapacity) {
            this.base = base;
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
            queue.add(delivery);
            if (closed && queue.remove(delivery)) {
                // The I/O thread may have finished already: nobody else would ever settle it.
                admitted.decrementAndGet();
                return false;
            }
            if (sleeping.get() && sleeping.compareAndSet(true, false)) {
                selector.wakeup();
            }
            return true;
        }

        private void startQueued(long now) {
            while (!queue.isEmpty() && (!idle.isEmpty() || connections.size() < maxConnections)) {
                Delivery delivery = queue.poll();
                if (delivery == null || !wanted(delivery)) {
                    continue;
                }
                ByteBuffer[] bytes;
                try {
                    bytes = RequestWriter.write(base, delivery.request());
                } catch (Throwable invalid) {
                    settle(() -> delivery.failed(invalid, 0));
                    continue;
                }
                Connection connection = idle.pollFirst();
                try {
                    if (connection == null) {
                        connection = open(now);
                    }
                    connection.start(delivery, bytes, now);
                } catch (Throwable failure) {
                    if (connection != null) {
                        connection.close();
                    }
                    settle(() -> delivery.failed(failure, System.nanoTime() - now));
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

        private Connection open(long now) throws IOException {
            InetSocketAddress address = new InetSocketAddress(base.host(), base.port());
            if (address.isUnresolved()) {
                throw new UnknownHostException(base.host());
            }
            SocketChannel channel = SocketChannel.open();
            Connection connection = new Connection(this, channel);
            connections.add(connection);
            openCount = connections.size();
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                boolean connected = channel.connect(address);
                connection.key = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, connection);
                connection.connectDeadline = connected ? Long.MAX_VALUE : now + connectTimeoutNanos;
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
                if (connection.delivery == null) {
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
                if (connection.delivery != null) {
                    connection.fail(closing);
                } else {
                    connection.close();
                }
            }
            for (Delivery delivery; (delivery = queue.poll()) != null; ) {
                Delivery queued = delivery;
                settle(() -> queued.failed(closing, 0));
            }
        }
    }

    /** One keep-alive connection to a target, carrying one exchange at a time. */
    private final class Connection {
        private final Pool pool;
        private final SocketChannel channel;
        private SelectionKey key;
        private Delivery delivery;
        private ByteBuffer[] out;
        private ResponseReader reader;
        private long started;
        private long deadline = Long.MAX_VALUE;
        private long connectDeadline = Long.MAX_VALUE;
        private long idleSince;

        Connection(Pool pool, SocketChannel channel) {
            this.pool = pool;
            this.channel = channel;
        }

        void start(Delivery next, ByteBuffer[] bytes, long now) throws IOException {
            delivery = next;
            out = bytes;
            reader = new ResponseReader(next.request().method().equals("HEAD"), captureLimit);
            started = now;
            deadline = now + timeoutNanos;
            if (connectDeadline == Long.MAX_VALUE) {
                write();
            }
        }

        void ready() throws IOException {
            if (key.isConnectable()) {
                channel.finishConnect();
                connectDeadline = Long.MAX_VALUE;
                write();
            } else if (key.isWritable()) {
                write();
            } else if (key.isReadable()) {
                read();
            }
        }

        private void write() throws IOException {
            channel.write(out);
            boolean written = !out[out.length - 1].hasRemaining();
            key.interestOps(written ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
        }

        private void read() throws IOException {
            while (true) {
                readBuffer.clear();
                int count = channel.read(readBuffer);
                if (count == 0) {
                    return;
                }
                if (delivery == null) {
                    // An idle connection closed by the shadow, or talking out of turn: either way, done.
                    close();
                    return;
                }
                if (count < 0) {
                    reader.endOfStream();
                    answered(false);
                    return;
                }
                readBuffer.flip();
                if (reader.read(readBuffer)) {
                    answered(!readBuffer.hasRemaining() && reader.reusable());
                    return;
                }
            }
        }

        private void answered(boolean reusable) {
            Delivery done = delivery;
            ShadowResponse response = reader.response();
            long nanos = System.nanoTime() - started;
            release(reusable);
            pool.settle(() -> done.answered(response, nanos));
        }

        void fail(Throwable failure) {
            Delivery done = delivery;
            long nanos = System.nanoTime() - started;
            release(false);
            if (done != null) {
                pool.settle(() -> done.failed(failure, nanos));
            }
        }

        private void release(boolean reusable) {
            delivery = null;
            out = null;
            reader = null;
            deadline = Long.MAX_VALUE;
            if (reusable) {
                idleSince = System.nanoTime();
                pool.idle.addFirst(this);
            } else {
                close();
            }
        }

        void close() {
            pool.idle.remove(this);
            pool.connections.remove(this);
            pool.openCount = pool.connections.size();
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

    private void run() {
        long lastBusy = System.nanoTime();
        try {
            while (!closed) {
                try {
                    lastBusy = turn(lastBusy);
                } catch (ClosedSelectorException e) {
                    break;
                } catch (Throwable e) {
                    // Even an Error (out of memory while capturing an answer): nobody else would settle
                    // what is queued and in flight, so the loop goes on, as a replaced sender would.
                    log.warn("The mirror's I/O loop failed; it goes on", e);
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
                connection.ready();
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
