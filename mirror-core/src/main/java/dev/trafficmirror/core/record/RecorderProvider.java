package dev.trafficmirror.core.record;

import java.net.URI;
import java.util.Map;

/**
 * Opens {@link Recorder}s for the target URLs of one scheme, found with {@link java.util.ServiceLoader}
 * (declared in {@code META-INF/services/dev.trafficmirror.core.record.RecorderProvider}, or with
 * {@code provides} in a module descriptor). mirror-kafka provides {@code kafka}; {@code file} is
 * built in. A target whose scheme no provider serves does not build.
 */
public interface RecorderProvider {

    /** The URL scheme served, in lower case: {@code kafka}. */
    String scheme();

    /**
     * Checks a target URL of this scheme and the target's recorder properties, when the target is
     * made, so that a mistake fails start-up rather than the first record.
     *
     * @throws IllegalArgumentException saying what is wrong with the URL or a property
     */
    void check(URI url, Map<String, String> properties);

    /**
     * Opens the recorder of one target, when the mirror is built.
     *
     * @param target the target's name, for logs and thread names
     * @param url the target's URL, already {@linkplain #check checked}
     * @param properties the target's recorder properties ({@code MirrorTarget.recorderProperties})
     * @throws IllegalArgumentException if it cannot be opened as configured
     */
    Recorder open(String target, URI url, Map<String, String> properties);

    /** A short description of where a URL's records go, for the mirror's start-up line. */
    default String describe(URI url) {
        return url.toString();
    }
}
