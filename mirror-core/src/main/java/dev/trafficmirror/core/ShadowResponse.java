package dev.trafficmirror.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a shadow answered: its status, headers and the first bytes of its body (up to the sink's
 * capture limit). The shadow's answer never reaches the client.
 */
public final class ShadowResponse {

    private static final byte[] NO_BODY = new byte[0];

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final boolean truncated;

    private ShadowResponse(int status, List<Map.Entry<String, String>> headers, byte[] body, boolean truncated) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be a 3-digit HTTP status, was " + status);
        }
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.truncated = truncated;
    }

    /** An answer with a status and nothing else. */
    public static ShadowResponse of(int status) {
        return new ShadowResponse(status, List.of(), NO_BODY, false);
    }

    /**
     * A full answer.
     *
     * @param body the captured body bytes, taken over (not copied)
     * @param truncated whether the shadow sent more than {@code body} holds
     */
    public static ShadowResponse of(int status, List<Map.Entry<String, String>> headers, byte[] body, boolean truncated) {
        return new ShadowResponse(status, headers, Objects.requireNonNull(body, "body"), truncated);
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The response headers in order. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** A copy of the captured body bytes. */
    public byte[] body() {
        return body.clone();
    }

    /** The number of captured body bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** Whether the shadow's body was longer than what was captured. */
    public boolean truncated() {
        return truncated;
    }

    @Override
    public String toString() {
        return "ShadowResponse{" + status + ", " + body.length + (truncated ? "+" : "") + " bytes}";
    }
}
