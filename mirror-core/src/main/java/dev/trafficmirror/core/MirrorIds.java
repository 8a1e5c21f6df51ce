package dev.trafficmirror.core;

import java.util.concurrent.ThreadLocalRandom;

/** Picks the {@code X-Mirror-Id} that ties a copy to its primary request in both services' logs. */
final class MirrorIds {

    private static final int MAX_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MirrorIds() {
    }

    /** The incoming {@code X-Request-Id} when it is a sane token, else a fresh random id. */
    static String of(MirrorRequest request) {
        String requestId = request.header("X-Request-Id");
        return isSafeToken(requestId) ? requestId : random();
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
    private static boolean isSafeToken(String value) {
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
