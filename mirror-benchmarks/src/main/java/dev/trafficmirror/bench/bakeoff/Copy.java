package dev.trafficmirror.bench.bakeoff;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A sampled request as the primary received it, handed to a {@link CopySender} once answered.
 *
 * @param path as received, still percent-encoded
 * @param query as received, or {@code null}
 * @param headers every header as received, Host included
 */
record Copy(String method, String path, String query, List<Map.Entry<String, String>> headers, String scheme,
        String remoteAddress) {

    /** Headers a copy must not carry on: the client writes its own framing and Host. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "content-length", "expect");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    String pathAndQuery() {
        return query == null ? path : path + '?' + query;
    }

    /**
     * The headers the other clients send, so that their copies are on the wire what trafficmirror's
     * are: the request's own, less hop-by-hop and Host, plus {@code X-Forwarded-*} and a random
     * {@code X-Mirror-Id} as trafficmirror adds them (which it does inside {@code submit}, so its
     * sender never calls this).
     */
    List<Map.Entry<String, String>> wireHeaders() {
        List<Map.Entry<String, String>> wire = new ArrayList<>(headers.size() + 4);
        String host = null;
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("host")) {
                host = header.getValue();
            } else if (!NOT_FORWARDED.contains(name)) {
                wire.add(header);
            }
        }
        wire.add(Map.entry("X-Mirror-Id", randomId()));
        wire.add(Map.entry("X-Forwarded-For", remoteAddress));
        if (host != null) {
            wire.add(Map.entry("X-Forwarded-Host", host));
        }
        wire.add(Map.entry("X-Forwarded-Proto", scheme));
        return wire;
    }

    private static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[32];
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 0; i < 16; i++) {
            id[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xf];
            id[16 + i] = HEX[(int) (low >>> (60 - 4 * i)) & 0xf];
        }
        return new String(id);
    }
}
