package dev.trafficmirror.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends hand-written HTTP/1.1 requests over a plain socket, for headers and framings that HTTP
 * clients refuse to produce, and reads one response.
 */
final class RawHttp {

    record Response(int status, String head, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    static Response exchange(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * A request to write by hand: its head is built from the method, target and headers, and its
     * body framed with Content-Length (by default), chunked, or not at all.
     */
    static final class Request {
        private final String method;
        private final String target;
        private final List<String> headers = new ArrayList<>();
        private byte[] body = new byte[0];
        private Framing framing = Framing.LENGTH;
        private int chunkSize = 8192;
        private long writeSeed = -1;
        private int maxWrite;

        enum Framing { LENGTH, CHUNKED, NONE }

        Request(String method, String target) {
            this.method = method;
            this.target = target;
            header("Host", "primary.test");
        }

        Request header(String name, String value) {
            headers.add(name + ": " + value);
            return this;
        }

        Request body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        Request body(String text) {
            return body(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Transfer-Encoding: chunked, in chunks of at most {@code size} bytes. */
        Request chunked(int size) {
            this.framing = Framing.CHUNKED;
            this.chunkSize = size;
            return this;
        }

        /** No framing header at all: an HTTP/1.1 request without a body. */
        Request unframed() {
            this.framing = Framing.NONE;
            return this;
        }

        /** Writes to the socket in random pieces of 1 to {@code maxWrite} bytes, flushing each. */
        Request randomWrites(long seed, int maxWrite) {
            this.writeSeed = seed;
            this.maxWrite = maxWrite;
            return this;
        }

        byte[] body() {
            return body;
        }

        String head() {
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            if (framing == Framing.LENGTH) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            } else if (framing == Framing.CHUNKED) {
                head.append("Transfer-Encoding: chunked\r\n");
            }
            return head.append("\r\n").toString();
        }

        /** The body as it goes on the wire. */
        byte[] framedBody() {
            if (framing != Framing.CHUNKED) {
                return body;
            }
            ByteArrayOutputStream framed = new ByteArrayOutputStream(body.length + 64);
            for (int at = 0; at < body.length; at += chunkSize) {
                int size = Math.min(chunkSize, body.length - at);
                framed.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                framed.write(body, at, size);
                framed.writeBytes(new byte[] {'\r', '\n'});
            }
            framed.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return framed.toByteArray();
        }

        /**
         * Sends the request on a new connection and reads the response. Like a real client, it
         * writes the whole body even when the answer comes first (the server may still read the
         * rest), and it does not mind the server closing the connection on a body it will not read.
         */
        Response send(int port) throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(20_000);
                socket.setTcpNoDelay(true);
                AtomicReference<IOException> writeFailure = new AtomicReference<>();
                Thread writer = new Thread(() -> {
                    try {
                        writeTo(socket.getOutputStream());
                    } catch (IOException e) {
                        writeFailure.set(e);
                    }
                }, "raw-http-writer");
                writer.start();
                Response response;
                try {
                    response = read(socket.getInputStream(), method.equals("HEAD"));
                } catch (IOException e) {
                    if (writeFailure.get() != null) {
                        e.addSuppressed(writeFailure.get());
                    }
                    throw e;
                }
                try {
                    writer.join(20_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the body was being written", e);
                }
                return response;
            }
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(head().getBytes(StandardCharsets.ISO_8859_1));
            byte[] wire = framedBody();
            if (writeSeed < 0) {
                out.write(wire);
            } else {
                Random random = new Random(writeSeed);
                for (int at = 0; at < wire.length; ) {
                    int size = Math.min(wire.length - at, 1 + random.nextInt(maxWrite));
                    out.write(wire, at, size);
                    out.flush();
                    at += size;
                }
            }
            out.flush();
        }
    }

    static Response read(InputStream in) throws IOException {
        return read(in, false);
    }

    /** Reads one response; the answer to a HEAD request has no body, whatever its head says. */
    static Response read(InputStream in, boolean toHead) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headText.substring(9, 12));
        byte[] body;
        String lower = headText.toLowerCase(Locale.ROOT);
        int lengthAt = lower.indexOf("\ncontent-length:");
        if (toHead || status / 100 == 1 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (lengthAt >= 0) {
            int end = lower.indexOf('\r', lengthAt);
            body = in.readNBytes(Integer.parseInt(lower.substring(lengthAt + 16, end).trim()));
        } else if (lower.contains("\ntransfer-encoding: chunked")) {
            body = readChunked(in);
        } else {
            body = new byte[0];
        }
        return new Response(status, headText, body);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed in a chunk header");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            int size = Integer.parseInt(line.toString().split(";")[0].trim(), 16);
            if (size == 0) {
                in.readNBytes(2);
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            in.readNBytes(2);
        }
    }
}
