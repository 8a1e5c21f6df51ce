package dev.trafficmirror.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The side-by-side applications of one test class, one per container kind, started on first use
 * and closed after the class. They take multipart bodies, send status 418 to an error page, and
 * have the filter on every dispatch type (it must ignore the ones it does not handle).
 */
final class Apps implements AutoCloseable {

    static final long CAP = 1 << 20;

    private final Map<ServletContainer.Kind, SideBySide> started = new EnumMap<>(ServletContainer.Kind.class);
    private final UnaryOperator<ServletContainer.Deployment> more;

    Apps() {
        this(UnaryOperator.identity());
    }

    /** Applications deployed with something more, e.g. a default request encoding. */
    Apps(UnaryOperator<ServletContainer.Deployment> more) {
        this.more = more;
    }

    synchronized SideBySide of(ServletContainer.Kind kind) throws Exception {
        SideBySide app = started.get(kind);
        if (app == null) {
            String uploads = Files.createTempDirectory("uploads").toString();
            app = SideBySide.start(kind, CAP, deployment -> more.apply(deployment
                    .multipart(new MultipartConfigElement(uploads, -1, -1, 16 * 1024))
                    .errorPage(418, "/error-page")
                    .dispatches(EnumSet.allOf(DispatcherType.class))));
            started.put(kind, app);
        }
        return app;
    }

    @Override
    public synchronized void close() throws Exception {
        for (SideBySide app : started.values()) {
            app.close();
        }
        started.clear();
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
