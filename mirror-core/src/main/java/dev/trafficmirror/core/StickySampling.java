package dev.trafficmirror.core;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * By a key taken from the request, hashed (32-bit FNV-1a, as GoReplay does, then mixed so that
 * similar keys spread evenly) onto a million buckets: a key is mirrored when its bucket is below
 * the percentage, so raising the percentage only ever adds keys.
 */
final class StickySampling implements Sampling {

    private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private final String description;
    private final Function<MirrorRequest, String> key;
    private final Sampling withoutKey;

    StickySampling(String description, Function<MirrorRequest, String> key) {
        this(description, key, Sampling.random());
    }

    /** @param withoutKey how requests without a key are sampled; seeded in tests */
    StickySampling(String description, Function<MirrorRequest, String> key, Sampling withoutKey) {
        this.description = description;
        this.key = key;
        this.withoutKey = withoutKey;
    }

    @Override
    public boolean sample(MirrorRequest request, double percentage) {
        String value = key.apply(request);
        if (value == null) {
            return withoutKey.sample(request, percentage);
        }
        return bucket(value) < MirrorTarget.perMillion(percentage);
    }

    /** The key's bucket, 0 to 999,999. */
    static long bucket(String value) {
        int hash = FNV_OFFSET_BASIS;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        // FNV's low bits depend only on the keys' low bits; MurmurHash3's finaliser spreads them.
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >>> 16;
        return Integer.toUnsignedLong(hash) % MirrorTarget.ONE_MILLION;
    }

    /** The value of the first cookie with this name, in any Cookie header. */
    static String cookie(MirrorRequest request, String name) {
        for (Map.Entry<String, String> header : request.headers()) {
            if (!header.getKey().equalsIgnoreCase("Cookie")) {
                continue;
            }
            for (String pair : header.getValue().split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).trim().equals(name)) {
                    return pair.substring(equals + 1).trim();
                }
            }
        }
        return null;
    }

    /** The raw value of the first query parameter with this name ("" when it has no value). */
    static String queryParameter(MirrorRequest request, String name) {
        String query = request.query();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String pairName = equals < 0 ? pair : pair.substring(0, equals);
            if (pairName.equals(name)) {
                return equals < 0 ? "" : pair.substring(equals + 1);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "sticky(" + description + ")";
    }
}
