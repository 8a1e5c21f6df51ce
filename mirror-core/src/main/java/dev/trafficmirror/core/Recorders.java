package dev.trafficmirror.core;

import dev.trafficmirror.core.record.Recorder;
import dev.trafficmirror.core.record.RecorderProvider;
import dev.trafficmirror.core.record.file.FileRecorder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Recording targets' URLs: which schemes record ({@code file:} built in, others through a
 * {@link RecorderProvider}), what is wrong with a URL, a target's default name, and opening its
 * {@link Recorder}. The one place that knows which artifact adds which scheme.
 */
final class Recorders {

    /** Schemes trafficmirror's own modules add, and the artifact to add for each. */
    private static final Map<String, String> ARTIFACTS = Map.of("kafka", "dev.trafficmirror:mirror-kafka");

    private Recorders() {
    }

    /**
     * Whether a URL is a recording target's: {@code file:}, a scheme one of trafficmirror's modules
     * adds ({@code kafka:}), or one a {@link RecorderProvider} on the class path serves.
     */
    static boolean records(String url) {
        String scheme = scheme(url);
        return scheme.equals("file") || ARTIFACTS.containsKey(scheme) || (!scheme.isEmpty() && !scheme.equals("http")
                && !scheme.equals("https") && findProvider(scheme) != null);
    }

    /**
     * Checks a recording target's URL and recorder properties.
     *
     * @throws IllegalArgumentException saying what is wrong, or which artifact serves the scheme
     */
    static void check(String url, Map<String, String> properties) {
        String scheme = scheme(url);
        if (scheme.equals("file")) {
            FileRecorder.path(url);
            if (!properties.isEmpty()) {
                throw new IllegalArgumentException("target url '" + url + "' records to a file, which takes no recorder"
                        + " properties, but has " + properties.keySet());
            }
            return;
        }
        provider(url, scheme).check(uri(url), properties);
    }

    /** A recording target's default name: the file's name, or the last segment of the URL's path (a topic). */
    static String defaultName(String url) {
        if (scheme(url).equals("file")) {
            return FileRecorder.path(url).getFileName().toString();
        }
        String path = uri(url).getPath();
        String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? url : last;
    }

    /**
     * Opens a recording target's recorder.
     *
     * @throws IllegalArgumentException if it cannot be opened (a file that cannot be written)
     */
    static Recorder open(MirrorTarget target) {
        String url = target.url();
        if (scheme(url).equals("file")) {
            Path file = FileRecorder.path(url);
            return new FileRecorder(target.name(), file, target.maxFileBytes(), target.maxFiles());
        }
        return provider(url, scheme(url)).open(target.name(), uri(url), target.recorderProperties());
    }

    private static RecorderProvider provider(String url, String scheme) {
        RecorderProvider found = findProvider(scheme);
        if (found != null) {
            return found;
        }
        String artifact = ARTIFACTS.get(scheme);
        if (artifact != null) {
            throw new IllegalArgumentException("target url '" + url + "' records to " + scheme + ", which needs "
                    + artifact + " on the class path: add the artifact " + artifact + " (mirror-bom manages its version)");
        }
        throw new IllegalArgumentException("target url '" + url + "': no recorder on the class path serves " + scheme + ":");
    }

    private static RecorderProvider findProvider(String scheme) {
        for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(),
                Recorders.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            for (RecorderProvider provider : ServiceLoader.load(RecorderProvider.class, loader)) {
                if (provider.scheme().equalsIgnoreCase(scheme)) {
                    return provider;
                }
            }
        }
        return null;
    }

    private static URI uri(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("target url '" + url + "' is not a valid URL: " + e.getMessage(), e);
        }
    }

    private static String scheme(String url) {
        if (url == null) {
            return "";
        }
        int colon = url.indexOf(':');
        if (colon <= 0) {
            return "";
        }
        String scheme = url.substring(0, colon);
        for (int i = 0; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.') || c > 0x7f) {
                return "";
            }
        }
        return Character.isLetter(scheme.charAt(0)) ? scheme.toLowerCase(Locale.ROOT) : "";
    }
}
