package dev.trafficmirror.core.compare;

/**
 * Receives every comparison, for a dashboard, a file or a test. Register it with
 * {@link CompareOptions.Builder#listener}.
 *
 * <p>Called on a mirror thread, never on a request thread, after the comparison is counted; keep it
 * quick, since the target's next copy waits for it. An exception it throws is logged and counted in
 * {@code mirror.compare.listener.failures}, and never reaches the application or other listeners.
 */
@FunctionalInterface
public interface ComparisonListener {

    /** One comparison of a shadow's answer with the primary's, control targets included. */
    void onComparison(Comparison comparison);
}
