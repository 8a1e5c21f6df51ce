package dev.trafficmirror.report;

import dev.trafficmirror.core.Mirror;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The report of one live {@link Mirror}, as a self-contained HTML page: a verdict per target, the
 * traffic graph, copies, errors and latency over time, outcome counts, comparison results with the
 * noise set aside, recent mismatches and recent failures. No script, nothing loaded from elsewhere
 * (a Content-Security-Policy in the page forbids it), every value escaped; the values of
 * differences (response data) only with {@link Builder#showValues(boolean) showValues}.
 *
 * <p>Built once per mirror; from then on it takes the mirror's totals every
 * {@link Builder#interval(Duration) interval} on a daemon thread of its own, keeping the last
 * {@link Builder#points(int) points} of them for the charts over time. {@link #render()} is safe
 * from any thread, never blocks the mirror, and costs a few milliseconds.
 *
 * <pre>{@code
 * MirrorReport report = MirrorReport.builder(mirror).meterRegistry(registry).build();
 * String html = report.render();   // or serve it: new MirrorReportServlet(report)
 * report.close();                  // stops sampling
 * }</pre>
 */
public final class MirrorReport implements AutoCloseable {

    /** The report's content type. */
    public static final String CONTENT_TYPE = "text/html;charset=UTF-8";

    private final Mirror mirror;
    private final MeterRegistry registry;
    private final Clock clock;
    private final boolean showValues;
    private final String title;
    private final String description;
    private final String primaryName;
    private final Duration interval;
    private final History history;

    private MirrorReport(Builder builder) {
        this.mirror = builder.mirror;
        this.registry = builder.registry;
        this.clock = builder.clock;
        this.showValues = builder.showValues;
        this.title = builder.title;
        this.description = builder.description;
        this.primaryName = builder.primaryName;
        this.interval = builder.interval;
        this.history = new History(mirror, registry, clock, interval, builder.points);
    }

    /**
     * A builder for the report of {@code mirror}.
     *
     * @param mirror the mirror to report on
     * @return a builder with the defaults: values hidden, 10 s interval, 360 points (an hour)
     */
    public static Builder builder(Mirror mirror) {
        return new Builder(Objects.requireNonNull(mirror, "mirror"));
    }

    /**
     * The report as it is now: one HTML page (XHTML syntax, UTF-8), whole.
     *
     * @return the page
     */
    public String render() {
        ReportData data = ReportData.of(mirror, registry, history.samplesAndNow(), clock.instant(), interval,
                showValues, title, description, primaryName);
        return HtmlReport.render(data);
    }

    /** Stops taking samples; {@link #render()} still works, over the samples taken so far. */
    @Override
    public void close() {
        history.close();
    }

    /** How a {@link MirrorReport} is built. Not thread-safe; {@link #build()} starts sampling. */
    public static final class Builder {

        /** The most points a report keeps. */
        public static final int MAX_POINTS = 10_000;

        private final Mirror mirror;
        private MeterRegistry registry;
        private Clock clock = Clock.systemUTC();
        private boolean showValues;
        private String title = "trafficmirror";
        private String description;
        private String primaryName = "primary";
        private Duration interval = Duration.ofSeconds(10);
        private int points = 360;

        private Builder(Mirror mirror) {
            this.mirror = mirror;
        }

        /**
         * The registry the mirror's meters are in: the report then shows each target's answers by
         * status class and its round trips ({@code mirror.shadow.duration}). Without it, those are
         * left out.
         *
         * @param registry the mirror's registry, or {@code null} for none
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * Whether the values of differences are shown (response data: JSON text, header values,
         * body excerpts). Default {@code false}: where and how answers differ, never what they hold.
         *
         * @param showValues {@code true} to show them
         * @return this builder
         */
        public Builder showValues(boolean showValues) {
            this.showValues = showValues;
            return this;
        }

        /**
         * The page's heading, e.g. the application's name.
         *
         * @param title plain text, escaped
         * @return this builder
         */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /**
         * A paragraph under the heading, e.g. what is mirrored where and why.
         *
         * @param description plain text, escaped; {@code null} for none
         * @return this builder
         */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * What the traffic graph calls the application whose requests are mirrored.
         *
         * @param primaryName plain text, escaped; default {@code primary}
         * @return this builder
         */
        public Builder primaryName(String primaryName) {
            this.primaryName = Objects.requireNonNull(primaryName, "primaryName");
            return this;
        }

        /**
         * How often the mirror's totals are taken for the charts over time.
         *
         * @param interval at least 10 ms
         * @return this builder
         * @throws IllegalArgumentException if shorter
         */
        public Builder interval(Duration interval) {
            if (interval == null || interval.compareTo(Duration.ofMillis(10)) < 0) {
                throw new IllegalArgumentException("interval must be at least 10ms, was " + interval);
            }
            this.interval = interval;
            return this;
        }

        /**
         * How many samples are kept: the charts cover {@code points} intervals at most.
         *
         * @param points 2 to {@value #MAX_POINTS}
         * @return this builder
         * @throws IllegalArgumentException if outside that range
         */
        public Builder points(int points) {
            if (points < 2 || points > MAX_POINTS) {
                throw new IllegalArgumentException("points must be from 2 to " + MAX_POINTS + ", was " + points);
            }
            this.points = points;
            return this;
        }

        /** For tests: the clock samples and the page are stamped with. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The report; takes its first sample now and starts sampling.
         *
         * @return the report, to {@link MirrorReport#close() close} when the mirror is
         */
        public MirrorReport build() {
            return new MirrorReport(this);
        }
    }
}
