package dev.trafficmirror.core;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * How a target picks the requests it mirrors, given its percentage. The percentage is kept apart
 * from the strategy, so that {@link Mirror#setPercentage} changes it at run time whatever the
 * strategy:
 *
 * <pre>{@code
 * MirrorTarget.of("v2", "http://reviews-v2:9080").percentage(10).sampling(Sampling.counter());
 * MirrorTarget.of("v3", "http://reviews-v3:9080").percentage(0.5).sampling(Sampling.stickyByHeader("X-User"));
 * }</pre>
 *
 * <p>Percentages have a resolution of one in a million (0.0001 %). A sampling runs on request
 * threads, concurrently: it must be thread-safe, fast and must not block. Give each target its own
 * instance; a counter shared by two targets counts both targets' requests.
 */
@FunctionalInterface
public interface Sampling {

    /**
     * Whether this request is mirrored.
     *
     * @param request the request's head (its body is not read yet)
     * @param percentage the target's percentage at this moment, 0 to 100
     */
    boolean sample(MirrorRequest request, double percentage);

    /** Each request independently, with the target's percentage as its probability. The default. */
    static Sampling random() {
        return new RandomSampling(ThreadLocalRandom::current);
    }

    /**
     * Exactly the percentage, counted: at 10 %, the 10th, 20th, 30th... request the target sees is
     * mirrored, so every hundred consecutive requests hold exactly ten copies.
     */
    static Sampling counter() {
        return new CounterSampling();
    }

    /**
     * By the value of a request header, so that one client's requests are all mirrored or none
     * are. Requests without the header are sampled at random.
     */
    static Sampling stickyByHeader(String name) {
        requireName(name, "header");
        return new StickySampling("header " + name, request -> request.header(name));
    }

    /** By the value of a cookie (e.g. a session id); requests without it are sampled at random. */
    static Sampling stickyByCookie(String name) {
        requireName(name, "cookie");
        return new StickySampling("cookie " + name, request -> StickySampling.cookie(request, name));
    }

    /**
     * By the raw (still percent-encoded) value of a query parameter; requests without it are
     * sampled at random.
     */
    static Sampling stickyByQueryParameter(String name) {
        requireName(name, "query parameter");
        return new StickySampling("query parameter " + name, request -> StickySampling.queryParameter(request, name));
    }

    /**
     * By any key taken from the request: requests whose key is equal are all mirrored or none are
     * (for a given percentage; raising it only adds keys). A {@code null} key means "no key": such
     * requests are sampled at random. The key is hashed with 32-bit FNV-1a.
     *
     * @param description what the key is, for logs
     */
    static Sampling stickyBy(String description, Function<MirrorRequest, String> key) {
        return new StickySampling(Objects.requireNonNull(description, "description"), Objects.requireNonNull(key, "key"));
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("sticky sampling needs a " + what + " name");
        }
    }
}
