package dev.trafficmirror.examples;

/**
 * One request a reviews service answered, as its access log records it.
 *
 * @param service {@code reviews-v1}, {@code reviews-v2} or {@code reviews-v1-control}
 * @param atNanos when the answer was written ({@link System#nanoTime()})
 * @param nanos how long the service took to answer
 * @param id the request's {@code X-Mirror-Id}, else its {@code X-Request-Id}, else {@code -}
 * @param mirroredCopy whether the request carried {@code X-Mirror-Id}, i.e. is a mirrored copy
 * @param error the error message the service answered with, or {@code null}
 */
record AccessLogEntry(String service, long atNanos, String method, String path, int status, long nanos, String id,
        boolean mirroredCopy, String error) {
}
