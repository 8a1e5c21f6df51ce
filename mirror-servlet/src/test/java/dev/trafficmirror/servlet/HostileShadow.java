package dev.trafficmirror.servlet;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A shadow on a loopback port that misbehaves on purpose, speaking just enough HTTP/1.1 (keep-alive,
 * Content-Length bodies) over raw sockets to fail in exactly one way. Its behaviour can be changed
 * while it runs. Its threads are named {@code shadow-*}: they stand for another machine.
 */
final class HostileShadow implements AutoCloseable {

    /** What the shadow does with each request. */
    enum Behaviour {
        /** 200 with a two-byte body. */
        ANSWER,
        /** 200, but only after 2 s. */
        ANSWER_AFTER_2S,
        /** Reads the request and never answers; holds the connection until the client gives up. */
        NEVER_ANSWER,
        /** Reads the head and half the body, then resets the connection. */
        RESET_MID_REQUEST,
        /** Sends the head and 10 of 1,000 announced body bytes, then resets the connection. */
        RESET_MID_RESPONSE,
        /** 500 with a body. */
        ANSWER_500,
        /** Announces 100 body bytes, sends 10 and closes the connection cleanly. */
        TRUNCATE,
        /** 200 with a 50 MB body, written as fast as the client reads it. */
        ANSWER_50_MB,
        /** 302 to another URL. */
        REDIRECT
    }

    private static final int FIFTY_MB = 50 << 20;

    private final ServerSocket server;
    private final String scheme;
    private final ExecutorService connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Behaviour behaviour;
    private volatile String location = "http://127.0.0.1:1/elsewhere";

    private HostileShadow(ServerSocket server, String scheme, Behaviour behaviour) {
        this.server = server;
        this.scheme = scheme;
        this.behaviour = behaviour;
        AtomicInteger threads = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "shadow-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        connections.execute(this::accept);
    }

    static HostileShadow start(Behaviour behaviour) throws IOException {
        return new HostileShadow(new ServerSocket(0, 1000, InetAddress.getLoopbackAddress()), "http", behaviour);
    }

    /** A shadow behind TLS with the certificate of {@code tls}, which clients do not trust. */
    static HostileShadow startTls(Behaviour behaviour, SSLContext tls) throws IOException {
        return new HostileShadow(tls.getServerSocketFactory().createServerSocket(0, 1000, InetAddress.getLoopbackAddress()),
                "https", behaviour);
    }

    String url() {
        return scheme + "://127.0.0.1:" + server.getLocalPort();
    }

    int port() {
        return server.getLocalPort();
    }

    void become(Behaviour next) {
        this.behaviour = next;
    }

    /** Where {@link Behaviour#REDIRECT} sends clients. */
    void redirectTo(String url) {
        this.location = url;
    }

    /** Requests whose head arrived. */
    int requests() {
        return requests.get();
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = server.accept();
                open.add(socket);
                connections.execute(() -> serve(socket));
            }
        } catch (IOException | java.util.concurrent.RejectedExecutionException closed) {
            // close() was called
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                requests.incrementAndGet();
                long length = contentLength(head);
                Behaviour now = behaviour;
                if (now == Behaviour.RESET_MID_REQUEST) {
                    in.readNBytes((int) (length / 2));
                    reset(socket);
                    return;
                }
                in.readNBytes((int) length);
                if (!answer(now, socket, in, out)) {
                    return;
                }
            }
        } catch (IOException gone) {
            // The client gave up, or the shadow is closing.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
        }
    }

    /** Answers one request; {@code false} when the connection is finished. */
    private boolean answer(Behaviour now, Socket socket, InputStream in, OutputStream out)
            throws IOException, InterruptedException {
        switch (now) {
            case ANSWER -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            case ANSWER_500 -> write(out, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom");
            case REDIRECT -> write(out, "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n");
            case ANSWER_AFTER_2S -> {
                if (closing.await(2, TimeUnit.SECONDS)) {
                    return false;
                }
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
            case NEVER_ANSWER -> {
                while (in.read() != -1) {
                    // hold the connection until the client closes it
                }
                return false;
            }
            case RESET_MID_RESPONSE -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
                reset(socket);
                return false;
            }
            case TRUNCATE -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
                socket.shutdownOutput();
                return false;
            }
            case ANSWER_50_MB -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + FIFTY_MB + "\r\n\r\n");
                byte[] chunk = new byte[64 << 10];
                for (int sent = 0; sent < FIFTY_MB; sent += chunk.length) {
                    out.write(chunk);
                }
                out.flush();
            }
            default -> throw new IllegalStateException("not an answer: " + now);
        }
        return true;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() throws Exception {
        closing.countDown();
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        connections.shutdownNow();
        connections.awaitTermination(10, TimeUnit.SECONDS);
    }
}
