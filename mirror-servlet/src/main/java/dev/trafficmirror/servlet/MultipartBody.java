package dev.trafficmirror.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code multipart/form-data} body rebuilt from the parts the container parsed, for when the
 * container read the body itself: same boundary, same parts in the same order, each with its
 * headers and its exact content bytes.
 *
 * <p>What the parts no longer tell is written the canonical way: CRLF line ends, {@code Name: value}
 * headers in UTF-8 (which is how Jetty and Tomcat both decode them), no preamble or epilogue, and
 * header names the container lower-cased (Tomcat does) in their usual capitalisation. A client that wrote its body that way, as browsers, curl, OkHttp and
 * Apache HttpClient do, gets its own bytes back; any other gets a body every multipart parser reads
 * the same.
 */
final class MultipartBody {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] DASHES = {'-', '-'};

    private MultipartBody() {
    }

    /**
     * Rebuilds the body of {@code request} from its parts, already parsed by the container.
     *
     * @return the body, or {@code null} when it would be larger than {@code cap}
     * @throws IOException if a part's content cannot be read any more
     * @throws ServletException if the container did not parse the parts
     * @throws IllegalStateException if there is no multipart configuration or no boundary
     */
    static byte[] rebuild(HttpServletRequest request, long cap) throws IOException, ServletException {
        String boundary = boundary(request.getContentType());
        if (boundary == null) {
            throw new IllegalStateException("no multipart boundary in " + request.getContentType());
        }
        Collection<Part> parts = request.getParts();
        boolean capitalise = ContainerTraits.lowerCasesPartHeaderNames(request.getServletContext());
        List<String> heads = new ArrayList<>(parts.size());
        long contentSize = 0;
        for (Part part : parts) {
            heads.add(head(part, capitalise));
            contentSize += part.getSize();
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        long size = length(heads, delimiter.length, contentSize);
        if (size > cap) {
            return null;
        }
        // Written straight into an array of the final size: the body is held once, never copied.
        Writer body = new Writer((int) size);
        Iterator<String> head = heads.iterator();
        for (Part part : parts) {
            body.write(delimiter).write(CRLF).write(head.next().getBytes(StandardCharsets.UTF_8)).write(CRLF);
            try (InputStream content = part.getInputStream()) {
                body.copy(content, (int) part.getSize(), part.getName());
            }
            body.write(CRLF);
        }
        return body.write(delimiter).write(DASHES).write(CRLF).bytes();
    }

    /** Fills a byte array of a known size. */
    private static final class Writer {
        private final byte[] bytes;
        private int at;

        Writer(int size) {
            bytes = new byte[size];
        }

        Writer write(byte[] piece) {
            System.arraycopy(piece, 0, bytes, at, piece.length);
            at += piece.length;
            return this;
        }

        void copy(InputStream content, int size, String name) throws IOException {
            if (content.readNBytes(bytes, at, size) != size || content.read() >= 0) {
                throw new IOException("part '" + name + "' is no longer " + size + " bytes long");
            }
            at += size;
        }

        byte[] bytes() {
            return bytes;
        }
    }

    /** The boundary parameter of a multipart Content-Type, unquoted; {@code null} if absent. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("boundary")) {
                String value = parameter.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /**
     * The part's header lines, each ending in CRLF; names the container lower-cased are written in
     * their usual capitalisation, which is how nearly every client sends them.
     */
    private static String head(Part part, boolean capitalise) {
        StringBuilder head = new StringBuilder();
        Set<String> names = new LinkedHashSet<>(part.getHeaderNames());
        for (String name : names) {
            String written = capitalise ? capitalised(name) : name;
            for (String value : part.getHeaders(name)) {
                head.append(written).append(": ").append(value).append("\r\n");
            }
        }
        return head.toString();
    }

    /** {@code content-disposition} as {@code Content-Disposition}. */
    private static String capitalised(String name) {
        StringBuilder written = new StringBuilder(name.length());
        boolean startOfWord = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            written.append(startOfWord ? Character.toUpperCase(c) : c);
            startOfWord = c == '-';
        }
        return written.toString();
    }

    private static long length(List<String> heads, int delimiterLength, long contentSize) {
        long size = contentSize + delimiterLength + 4; // the close delimiter: "--" boundary "--" CRLF
        for (String head : heads) {
            size += delimiterLength + 2 + head.getBytes(StandardCharsets.UTF_8).length + 2 + 2;
        }
        return size;
    }
}
