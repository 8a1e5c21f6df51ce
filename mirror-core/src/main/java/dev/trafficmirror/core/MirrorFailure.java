package dev.trafficmirror.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One copy that was sent to a target and got no answer: what {@link TargetStats#recentFailures()}
 * lists so that an operator can see which mirrored requests failed and why.
 *
 * <p>It holds no header, query or body: only what identifies the request and the failure.
 *
 * @param time when the failure was seen
 * @param reason why the copy failed; always a reason of {@link Outcome#FAILED}
 * @param mirrorId the copy's {@code X-Mirror-Id}, to find it in the shadow's logs
 * @param method the request method
 * @param path the request path, without its query
 * @param detail the error, e.g. {@code java.net.SocketTimeoutException: timeout}
 */
public record MirrorFailure(Instant time, Reason reason, String mirrorId, String method, String path, String detail) {

    /** Checks that nothing is missing. */
    public MirrorFailure {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(detail, "detail");
    }
}
