/**
 * The mirror's report: one self-contained HTML page drawn from a live
 * {@link dev.trafficmirror.core.Mirror} (artifact {@code mirror-report}). Build a
 * {@link dev.trafficmirror.report.MirrorReport} once per mirror and call
 * {@link dev.trafficmirror.report.MirrorReport#render()} whenever the page is wanted; serve it with
 * {@link dev.trafficmirror.report.MirrorReportServlet} on any servlet container. Spring Boot's
 * {@code mirror} Actuator endpoint answers a browser with it.
 */
package dev.trafficmirror.report;
