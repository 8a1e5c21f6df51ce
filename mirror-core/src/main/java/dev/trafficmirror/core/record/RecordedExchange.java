package dev.trafficmirror.core.record;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.Redaction;
import dev.trafficmirror.core.integration.PrimaryResponse;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One exchange as a recording target keeps it: the request as its copy would have been sent (header
 * rules applied: method, raw path and query, headers with {@code X-Mirror-Id}, body), what the
 * primary answered (status, headers, body up to the capture limit, and how long it took), when the
 * primary received the request, and which redaction was applied to it. Immutable.
 *
 * <p>{@link RecordFormat} writes it as one line of a recording and reads it back.
 */
public final class RecordedExchange {

    private final String id;
    private final Instant receivedAt;
    private final MirrorRequest request;
    private final PrimaryResponse response;
    private final Redaction redaction;
    private final String requestBodyWithheld;

    /**
     * @param id the exchange's {@code X-Mirror-Id}
     * @param receivedAt when the primary received the request
     * @param request the request as its copy goes on the wire
     * @param response the primary's captured answer, or {@code null} when it was not captured
     * @param redaction the redaction applied to the request and answer ({@link Redaction#none()} for none)
     */
    public RecordedExchange(String id, Instant receivedAt, MirrorRequest request, PrimaryResponse response,
            Redaction redaction) {
        this(id, receivedAt, request, response, redaction, null);
    }

    private RecordedExchange(String id, Instant receivedAt, MirrorRequest request, PrimaryResponse response,
            Redaction redaction, String requestBodyWithheld) {
        this.requestBodyWithheld = requestBodyWithheld;
        this.id = Objects.requireNonNull(id, "id");
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        this.request = Objects.requireNonNull(request, "request");
        this.response = response;
        this.redaction = Objects.requireNonNull(redaction, "redaction");
    }

    /** The exchange's {@code X-Mirror-Id}: the same as the primary's logs and the copies' show. */
    public String id() {
        return id;
    }

    /** When the primary received the request. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /** The request as its copy goes on the wire, relative to a target's base path. */
    public MirrorRequest request() {
        return request;
    }

    /** What the primary answered, as captured; empty when the answer was not handed over. */
    public Optional<PrimaryResponse> response() {
        return Optional.ofNullable(response);
    }

    /** The redaction applied before the exchange was recorded. */
    public Redaction redaction() {
        return redaction;
    }

    /**
     * Why the request's body is not in the record (redaction could not look into it), or empty when
     * it is, whole. A withheld body is recorded as empty.
     */
    public Optional<String> requestBodyWithheld() {
        return Optional.ofNullable(requestBodyWithheld);
    }

    /** This exchange with another request and answer, after {@code applied} (redaction, say). */
    public RecordedExchange with(MirrorRequest newRequest, PrimaryResponse newResponse, Redaction applied) {
        return new RecordedExchange(id, receivedAt, newRequest, newResponse, applied, requestBodyWithheld);
    }

    /**
     * This exchange with the request's body left out, and {@code why}: what redaction could not do.
     */
    public RecordedExchange withRequestBodyWithheld(String why) {
        return new RecordedExchange(id, receivedAt, request.withBody(new byte[0]), response, redaction,
                Objects.requireNonNull(why, "why"));
    }

    @Override
    public String toString() {
        return "RecordedExchange{" + id + " " + request + " -> " + (response == null ? "not captured" : response) + "}";
    }
}
