package dev.trafficmirror.report;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Serves a {@link MirrorReport} on any jakarta servlet 6 container: {@code GET} answers the page,
 * never cached; other methods get 405. Map it where only operators reach it (the page shows
 * paths, ids and error messages of the application's traffic), e.g. on Jetty 12:
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new MirrorReportServlet(report)), "/admin/mirror");
 * }</pre>
 */
public final class MirrorReportServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The report's servlets are not serialized with a session; the field is transient for the type's sake. */
    private final transient MirrorReport report;

    /**
     * A servlet serving {@code report}.
     *
     * @param report the report to serve
     */
    public MirrorReportServlet(MirrorReport report) {
        this.report = Objects.requireNonNull(report, "report");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] page = report.render().getBytes(StandardCharsets.UTF_8);
        response.setContentType(MirrorReport.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy", HtmlReport.CONTENT_SECURITY_POLICY);
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }
}
