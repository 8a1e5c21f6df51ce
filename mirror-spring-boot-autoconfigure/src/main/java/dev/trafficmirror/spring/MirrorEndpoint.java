package dev.trafficmirror.spring;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.MirrorFailure;
import dev.trafficmirror.core.Outcome;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.TargetStats;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code mirror} Actuator endpoint: what the mirror is doing, and the two switches an operator
 * needs at run time.
 *
 * <ul>
 *   <li>{@code GET /actuator/mirror}: whether mirroring is on, every target with its current
 *       percentage, its counts by outcome and reason and its last failures, the {@code mirror.*}
 *       properties, and the sections other features add ({@link MirrorEndpointSection}).
 *   <li>{@code GET /actuator/mirror/{target}}: one target.
 *   <li>{@code POST /actuator/mirror} with {@code {"enabled": false}}: pauses mirroring (requests are
 *       counted as {@code disabled}); {@code true} resumes it. Answers {@code {"enabled": ...}}.
 *   <li>{@code POST /actuator/mirror/{target}} with {@code {"percentage": 5}}: changes the share of
 *       requests mirrored to that target, from the next request on.
 * </ul>
 *
 * <p>Over HTTP, {@link MirrorEndpointWebExtension} answers a browser with the HTML report and a
 * write it cannot carry out with 400 and the reason.
 *
 * <p>Nothing shown is secret: target URLs cannot carry user info, and properties that hold header
 * values are never listed.
 */
@Endpoint(id = "mirror")
public class MirrorEndpoint {

    private final Mirror mirror;
    private final MirrorProperties properties;
    private final List<MirrorEndpointSection> sections;

    /**
     * An endpoint over {@code mirror}.
     *
     * @param properties the {@code mirror.*} properties to show, or {@code null} when none are bound
     * @param sections the sections to add, in order
     * @throws IllegalStateException if two sections have the same name
     */
    public MirrorEndpoint(Mirror mirror, MirrorProperties properties, List<MirrorEndpointSection> sections) {
        this.mirror = Objects.requireNonNull(mirror, "mirror");
        this.properties = properties;
        this.sections = List.copyOf(sections);
        Set<String> names = new HashSet<>();
        for (MirrorEndpointSection section : this.sections) {
            if (!names.add(section.name())) {
                throw new IllegalStateException("two mirror endpoint sections are named '" + section.name() + "'");
            }
        }
    }

    /** The whole report. */
    @ReadOperation
    public MirrorReport report() {
        Map<String, Object> extra = new LinkedHashMap<>();
        for (MirrorEndpointSection section : sections) {
            extra.put(section.name(), section.content());
        }
        return new MirrorReport(mirror.isEnabled(), mirror.stats().stream().map(TargetReport::of).toList(),
                properties == null ? null : properties.describe(), extra);
    }

    /** One target, or {@code null} (404) when there is no such target. */
    @ReadOperation
    public TargetReport target(@Selector String target) {
        return mirror.stats().stream().filter(stats -> stats.target().name().equals(target))
                .findFirst().map(TargetReport::of).orElse(null);
    }

    /**
     * Pauses ({@code false}) or resumes ({@code true}) mirroring.
     *
     * @param enabled whether to mirror
     * @return whether mirroring is on now, and nothing more
     */
    @WriteOperation
    public EnabledReport setEnabled(boolean enabled) {
        mirror.setEnabled(enabled);
        return new EnabledReport(mirror.isEnabled());
    }

    /** Changes one target's percentage (0 to 100); returns the target. */
    @WriteOperation
    public TargetReport setPercentage(@Selector String target, double percentage) {
        try {
            mirror.setPercentage(target, percentage);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
        }
        return target(target);
    }

    /**
     * What a write of {@code enabled} answers.
     *
     * @param enabled whether mirroring is on now
     */
    public record EnabledReport(boolean enabled) implements OperationResponseBody {
    }

    /**
     * What {@code GET /actuator/mirror} answers.
     *
     * @param enabled whether mirroring is on (not paused, not shut down)
     * @param targets every target, in the order configured
     * @param properties the {@code mirror.*} properties as bound, defaults included (what the
     *     auto-configured mirror is built from), or {@code null} when none are bound; what the
     *     mirror does now (percentages changed at run time, an application's own mirror) shows in
     *     {@code enabled} and {@code targets}
     * @param sections what other features add, by name
     */
    public record MirrorReport(boolean enabled, List<TargetReport> targets, Map<String, Object> properties,
            Map<String, Object> sections) implements OperationResponseBody {
    }

    /**
     * One target.
     *
     * @param name the target's name, the {@code target} metric tag
     * @param url its base URL
     * @param percentage the share of requests it samples now
     * @param requests every request it has seen
     * @param outcomes those requests by outcome, every outcome listed
     * @param reasons those requests by reason, only reasons that happened
     * @param recentFailures its last copies that got no answer, newest first
     */
    public record TargetReport(String name, String url, double percentage, long requests, Map<String, Long> outcomes,
            Map<String, Long> reasons, List<FailureReport> recentFailures) implements OperationResponseBody {

        static TargetReport of(TargetStats stats) {
            Map<String, Long> outcomes = new LinkedHashMap<>();
            for (Outcome outcome : Outcome.values()) {
                outcomes.put(outcome.tag(), stats.count(outcome));
            }
            Map<String, Long> reasons = new LinkedHashMap<>();
            stats.counts().forEach((reason, count) -> {
                if (count > 0) {
                    reasons.put(reason.tag(), count);
                }
            });
            return new TargetReport(stats.target().name(), stats.target().url(), stats.percentage(), stats.requests(),
                    outcomes, reasons, stats.recentFailures().stream().map(FailureReport::of).toList());
        }
    }

    /**
     * One copy that got no answer.
     *
     * @param time when, ISO-8601
     * @param reason the {@code reason} tag: timeout, connect, tls, io or error
     * @param mirrorId the copy's {@code X-Mirror-Id}
     * @param method the request method
     * @param path the request path, without its query
     * @param detail the error
     */
    public record FailureReport(String time, String reason, String mirrorId, String method, String path,
            String detail) {

        static FailureReport of(MirrorFailure failure) {
            Reason reason = failure.reason();
            return new FailureReport(failure.time().toString(), reason.tag(), failure.mirrorId(), failure.method(),
                    failure.path(), failure.detail());
        }
    }
}
