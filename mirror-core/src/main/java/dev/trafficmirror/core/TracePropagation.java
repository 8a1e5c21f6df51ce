package dev.trafficmirror.core;

/**
 * What a copy does with the trace context the request carried ({@code traceparent}, B3, Jaeger's
 * {@code uber-trace-id}, Datadog's, AWS X-Ray's and Google Cloud's trace headers). A copy that
 * kept a sampled context would put the shadow's spans, and those of every call the shadow makes,
 * inside the production trace as if they were production work.
 *
 * <p>{@code X-Mirror-Id} ties a copy to its request whatever this says. Header rules
 * ({@link HeaderRules}) run after it, so they can still set or remove any of these headers.
 */
public enum TracePropagation {

    /**
     * The copy keeps the trace id, so that it can be found beside its request, but starts a span of
     * its own (a new parent or span id) and is not sampled: W3C {@code traceparent} gets a new
     * parent id and the sampled flag cleared, and {@code tracestate} (where vendors keep their
     * sampling decisions) is dropped; B3, Jaeger, Datadog, X-Ray and Google Cloud headers get a new
     * span id and "not sampled"; a header of these that cannot be read is dropped. The default.
     */
    UNSAMPLED,

    /** The copy carries no trace context at all: the headers above are removed. */
    STRIP,

    /** The copy carries the trace context exactly as received (sampled or not): the shadow joins the trace. */
    PROPAGATE
}
