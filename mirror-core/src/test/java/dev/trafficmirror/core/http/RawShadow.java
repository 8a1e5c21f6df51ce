package dev.trafficmirror.core.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shadow on loopback that answers in exactly the bytes a test gives it, where MockWebServer would
 * be too polite: each accepted connection gets its own thread, and every request read is kept
 * byte for byte.
 */
final class RawShadow implements AutoCloseable {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length: *([0-9]+)");

    private final ServerSocket server;
    /** What a connection does after a request's head. */
    enum Manner {
        /** Reads the body, answers, waits for the next request. */
        KEEP_ALIVE,
        /** Reads the body, answers, closes. */
        CLOSE_AFTER_ANSWER,
        /** Answers the first request on each connection; reads the second and closes without a word. */
        HANG_UP_ON_SECOND,
        /** Answers at once, without reading the body, ends its side and never reads again. */
        ANSWER_BEFORE_BODY
    }

    private final byte[] answer;
    private final Manner manner;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<byte[]> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    /**
     * @param answer what every request on a connection is answered with
     * @param closeAfterEach whether to close the connection after the first answer, whatever the answer said
     */
    RawShadow(String answer, boolean closeAfterEach) throws IOException {
        this(answer, closeAfterEach ? Manner.CLOSE_AFTER_ANSWER : Manner.KEEP_ALIVE);
    }

    /** @param answer what every request answered is answered with */
    RawShadow(String answer, Manner manner) throws IOException {
        this.answer = Wire.bytes(answer);
        this.manner = manner;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    sockets.add(socket);
                    Thread connection = new Thread(() -> serve(socket), "raw-shadow-connection");
                    connection.setDaemon(true);
                    connection.start();
                }
            } catch (IOException closed) {
                // close() was called
            }
        }, "raw-shadow-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            if (manner == Manner.ANSWER_BEFORE_BODY) {
                if (readHead(in) != null) {
                    out.write(answer);
                    socket.shutdownOutput();
                    // Reads nothing more: the client's write stalls until the test closes this shadow.
                    closing.await();
                }
                return;
            }
            for (int served = 0; readRequest(in); served++) {
                if (manner == Manner.HANG_UP_ON_SECOND && served == 1) {
                    return;
                }
                out.write(answer);
                out.flush();
                if (manner == Manner.CLOSE_AFTER_ANSWER) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** The requests read so far, as they came, head and body. */
    List<byte[]> requests() {
        return requests;
    }

    /** Reads one request, its head and its Content-Length body, and keeps it; {@code false} when the connection ends first. */
    private boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream request = readHead(in);
        if (request == null) {
            return false;
        }
        Matcher length = CONTENT_LENGTH.matcher(request.toString(StandardCharsets.ISO_8859_1));
        if (length.find()) {
            request.writeBytes(in.readNBytes(Integer.parseInt(length.group(1))));
        }
        requests.add(request.toByteArray());
        return true;
    }

    /** Reads a request's head, through its blank line; {@code null} when the connection ends first. */
    private static ByteArrayOutputStream readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] end = Wire.bytes("\r\n\r\n");
        for (int matched = 0; matched < end.length; ) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head;
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
