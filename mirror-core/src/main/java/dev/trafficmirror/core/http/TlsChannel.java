package dev.trafficmirror.core.http;

import dev.trafficmirror.core.TargetTls;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS over a non-blocking socket, with the JDK's {@link SSLEngine}: what {@link ShadowIo} speaks to
 * an {@code https} target. Each call does what the socket allows now and says what it waits for;
 * nothing here blocks. The engine verifies the target's certificate against the host name (or IP
 * address) in its URL, and sends that name (SNI); engines of one {@code SSLContext} for one host and
 * port resume its sessions. The engine's delegated tasks (the handshake's key work) run inline on
 * the I/O thread: they happen once per connection, and connections are kept alive.
 */
final class TlsChannel {

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final SocketChannel channel;
    private final SSLEngine engine;
    /** Bytes read from the socket, not unwrapped yet; in read mode between calls. */
    private ByteBuffer netIn;
    /** Bytes wrapped, not written to the socket yet; in read mode between calls. */
    private ByteBuffer netOut;
    /** Bytes unwrapped, not handed over yet; in read mode between calls. */
    private ByteBuffer appIn;
    private boolean closed;

    TlsChannel(SocketChannel channel, TargetTls tls, String host, int port) {
        this.channel = channel;
        this.engine = tls.context().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        // Hostname verification: the certificate must name the host the copy was sent to.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!tls.protocols().isEmpty()) {
            parameters.setProtocols(tls.protocols().toArray(String[]::new));
        }
        if (!tls.cipherSuites().isEmpty()) {
            parameters.setCipherSuites(tls.cipherSuites().toArray(String[]::new));
        }
        engine.setSSLParameters(parameters);
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet).flip();
        this.netOut = ByteBuffer.allocate(packet).flip();
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
    }

    /** Starts the handshake: until then the engine says it is not handshaking at all. */
    void begin() throws SSLException {
        engine.beginHandshake();
    }

    /**
     * Moves the handshake on as far as the socket allows.
     *
     * @return {@code true} once it is done (and all it wrote is flushed); {@code false} while it waits
     *     for the socket: then {@link #wantsWrite()} says whether for writing or for reading
     * @throws SSLException when the handshake fails (an untrusted or wrongly named certificate)
     */
    boolean handshake() throws IOException {
        if (netOut.hasRemaining() && !flush()) {
            return false;
        }
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> {
                    wrap(NOTHING);
                    if (!flush()) {
                        return false;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        return false;
                    }
                }
                case NEED_TASK -> {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                }
                default -> {
                    return flush();
                }
            }
        }
    }

    /** Whether the last call that returned early waits to write (rather than to read). */
    boolean wantsWrite() {
        return netOut.hasRemaining();
    }

    /**
     * Encrypts and writes as much of {@code source} as the socket takes now.
     *
     * @return whether all of it is written (nothing left in {@code source} nor in the engine's output)
     */
    boolean write(ByteBuffer[] source) throws IOException {
        while (true) {
            if (netOut.hasRemaining() && !flush()) {
                return false;
            }
            if (!remains(source)) {
                return true;
            }
            if (wrap(source).bytesConsumed() == 0 && !handshake()) {
                // The engine wants a handshake message first (a TLS 1.3 key update, say).
                return false;
            }
        }
    }

    /**
     * Reads and decrypts what the socket has into {@code target} (in write mode).
     *
     * @return the bytes added; 0 when none could be, -1 at the end of the stream (the target's
     *     close_notify, or the socket closed)
     */
    int read(ByteBuffer target) throws IOException {
        int added = drain(target);
        while (added == 0) {
            if (engine.isInboundDone()) {
                return -1;
            }
            if (!unwrap()) {
                return channel.socket().isInputShutdown() ? -1 : 0;
            }
            // Post-handshake messages (TLS 1.3 session tickets, key updates) may ask for a reply.
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP
                    || engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                handshake();
            }
            added = drain(target);
            if (added == 0 && engine.isInboundDone()) {
                return -1;
            }
        }
        return added;
    }

    /** Says goodbye (close_notify) as far as the socket takes it now; the caller closes the socket. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        engine.closeOutbound();
        try {
            wrap(NOTHING);
            flush();
        } catch (IOException e) {
            // The connection is going anyway: a close_notify it cannot take is no loss.
        }
    }

    private int drain(ByteBuffer target) {
        int n = Math.min(appIn.remaining(), target.remaining());
        if (n > 0) {
            ByteBuffer slice = appIn.slice();
            slice.limit(n);
            target.put(slice);
            appIn.position(appIn.position() + n);
        }
        return n;
    }

    /**
     * Unwraps one record into {@link #appIn}, reading from the socket when a whole record is not
     * there yet.
     *
     * @return whether it made progress; {@code false} when the socket has nothing more now
     */
    private boolean unwrap() throws IOException {
        while (true) {
            appIn.compact();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
            }
            switch (result.getStatus()) {
                case OK -> {
                    return true;
                }
                case CLOSED -> {
                    return true;
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    if (netIn.limit() == netIn.capacity() && netIn.position() == 0) {
                        netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                    }
                    netIn.compact();
                    int read;
                    try {
                        read = channel.read(netIn);
                    } finally {
                        netIn.flip();
                    }
                    if (read < 0) {
                        if (engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                            throw new EOFException("the shadow closed the connection during the TLS handshake");
                        }
                        // Without close_notify: possibly truncated, which the response reader judges.
                        channel.shutdownInput();
                        return false;
                    }
                    if (read == 0) {
                        return false;
                    }
                }
            }
        }
    }

    private SSLEngineResult wrap(ByteBuffer[] source) throws IOException {
        while (true) {
            netOut.compact();
            SSLEngineResult result;
            try {
                result = engine.wrap(source, netOut);
            } finally {
                netOut.flip();
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                continue;
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS connection is closed");
            }
            return result;
        }
    }

    /** Writes what {@link #netOut} holds; whether all of it went. */
    private boolean flush() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean remains(ByteBuffer[] buffers) {
        for (ByteBuffer buffer : buffers) {
            if (buffer.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** A larger buffer holding what {@code buffer} (in read mode) holds, in read mode. */
    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.remaining() + atLeast));
        larger.put(buffer);
        return larger.flip();
    }
}
