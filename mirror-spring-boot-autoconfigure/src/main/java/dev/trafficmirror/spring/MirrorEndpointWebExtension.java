package dev.trafficmirror.spring;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.report.MirrorReport;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.Producible;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
// Spring Boot 3.5 makes an operation's parameter optional for this annotation only; Boot 4.1 (where
// it is deprecated) for any annotation named Nullable. Optional, so a missing or misspelled key
// reaches the operation, which answers with the reason.
import org.springframework.lang.Nullable;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * The {@code mirror} endpoint over HTTP: a browser ({@code Accept: text/html}) gets the
 * {@link MirrorReport} page, everyone else ({@code application/json}, curl's {@code *}{@code /*},
 * no {@code Accept}) the endpoint's JSON; a write that cannot be carried out is answered 400 with
 * the reason, in JSON, and changes nothing.
 */
@EndpointWebExtension(endpoint = MirrorEndpoint.class)
public class MirrorEndpointWebExtension {

    private final MirrorEndpoint endpoint;
    private final Mirror mirror;
    private final MirrorReport report;

    /**
     * An extension of {@code endpoint}.
     *
     * @param endpoint the endpoint whose JSON it answers
     * @param mirror the mirror the writes change
     * @param report the page it answers a browser with
     */
    public MirrorEndpointWebExtension(MirrorEndpoint endpoint, Mirror mirror, MirrorReport report) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.mirror = Objects.requireNonNull(mirror, "mirror");
        this.report = Objects.requireNonNull(report, "report");
    }

    /**
     * The report: the HTML page for {@code text/html}, the endpoint's JSON otherwise.
     *
     * @param format what the request accepts, as Actuator negotiated it
     * @return the page or the JSON, with its content type
     */
    @ReadOperation
    public WebEndpointResponse<Object> report(Format format) {
        Object body = format == Format.HTML ? report.render() : endpoint.report();
        return new WebEndpointResponse<>(body, format);
    }

    /**
     * Pauses ({@code {"enabled": false}}) or resumes ({@code true}) mirroring.
     *
     * @param enabled {@code true} or {@code false}; anything else, or nothing, is a 400
     * @return whether mirroring is on now, or 400 with the reason
     */
    @WriteOperation
    public WebEndpointResponse<Object> setEnabled(@Nullable String enabled) {
        String value = enabled == null ? null : enabled.trim().toLowerCase(Locale.ROOT);
        if (!"true".equals(value) && !"false".equals(value)) {
            return badRequest(enabled == null
                    ? "the body must be {\"enabled\": false} to pause mirroring or {\"enabled\": true} to resume it"
                    : "enabled must be true or false, was " + enabled);
        }
        return new WebEndpointResponse<>(endpoint.setEnabled(Boolean.parseBoolean(value)));
    }

    /**
     * Changes one target's percentage.
     *
     * @param target the target's name
     * @param percentage 0 to 100, decimals allowed; anything else, or nothing, is a 400
     * @return the target, or 400 with the reason
     */
    @WriteOperation
    public WebEndpointResponse<Object> setPercentage(@Selector String target, @Nullable String percentage) {
        if (percentage == null) {
            return badRequest("the body must be {\"percentage\": N}, N from 0 to 100 (decimals allowed)");
        }
        double value;
        try {
            value = Double.parseDouble(percentage.trim());
        } catch (NumberFormatException e) {
            return badRequest("percentage must be a number from 0 to 100, was " + percentage);
        }
        try {
            mirror.setPercentage(target, value);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        return new WebEndpointResponse<>(endpoint.target(target));
    }

    private static WebEndpointResponse<Object> badRequest(String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", WebEndpointResponse.STATUS_BAD_REQUEST);
        body.put("error", "Bad Request");
        body.put("message", reason);
        return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_BAD_REQUEST);
    }

    /** What {@code GET /actuator/mirror} can answer, negotiated from the request's {@code Accept}. */
    public enum Format implements Producible<Format> {

        /** Actuator's own JSON type. */
        ACTUATOR_JSON(ApiVersion.V3.getProducedMimeType()),

        /** Plain JSON: for {@code application/json}, {@code *}{@code /*} and no {@code Accept}. */
        JSON(MimeTypeUtils.APPLICATION_JSON) {
            @Override
            public boolean isDefault() {
                return true;
            }
        },

        /** The report page, for a browser. */
        HTML(MimeType.valueOf(MirrorReport.CONTENT_TYPE));

        private final MimeType mimeType;

        Format(MimeType mimeType) {
            this.mimeType = mimeType;
        }

        @Override
        public MimeType getProducedMimeType() {
            return mimeType;
        }
    }
}
