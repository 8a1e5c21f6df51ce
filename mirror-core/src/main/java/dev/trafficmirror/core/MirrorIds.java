package dev.trafficmirror.core;

import java.util.concurrent.ThreadLocalRandom;

/** Picks the {@code X-Mirror-Id} that ties a copy to its primary request in both services' logs. */
final class MirrorIds {

    private static final int MAX_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MirrorIds() {
    }

    /**
     * The incoming {@code X-Request-Id} when it is a sane token, else the trace id of a valid W3C
     * {@code traceparent}, else a fresh random id: the primary's logs and traces find the copy.
     */
    static String of(MirrorRequest request) {
        String requestId = request.header("X-Request-Id");
        if (isSafeToken(requestId)) {
            return requestId;
        }
        String traceId = traceId(request.header("traceparent"));
        return traceId != null ? traceId : random();
    }

    /**
     * The trace id of a {@code traceparent} ({@code version-traceid-parentid-flags}, lowercase hex),
     * or {@code null} when it is missing, malformed or all zeros (invalid by the W3C spec).
     */
    static String traceId(String traceparent) {
        if (traceparent == null || traceparent.length() < 55 || traceparent.charAt(2) != '-'
                || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-'
                || traceparent.startsWith("ff") || (traceparent.length() > 55 && traceparent.charAt(55) != '-')) {
            return null;
        }
        boolean nonZero = false;
        for (int i = 0; i < 55; i++) {
            if (i == 2 || i == 35 || i == 52) {
                continue;
            }
            char c = traceparent.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
            nonZero |= i > 2 && i < 35 && c != '0';
        }
        return nonZero ? traceparent.substring(3, 35) : null;
    }

    static String random() {
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

    /** Visible ASCII only, bounded: an id is echoed into logs and headers, so nothing else passes. */
    static boolean isSafeToken(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
