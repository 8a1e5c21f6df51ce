/**
 * Comparing the shadows' answers with the primary's: the API. A target marked
 * {@code compare(true)} or {@code control(true)} has its answers compared as
 * {@link dev.trafficmirror.core.compare.CompareOptions} say; each result is a
 * {@link dev.trafficmirror.core.compare.Comparison} with its
 * {@link dev.trafficmirror.core.compare.Difference differences}, told to every
 * {@link dev.trafficmirror.core.compare.ComparisonListener} and summed up in
 * {@link dev.trafficmirror.core.compare.ComparisonSummary} ({@code Mirror.comparisons()}).
 *
 * <p>In the flow (filter, snapshot, decide, lane, send, <b>compare</b>) this is the last step; the
 * comparing itself is done by {@code dev.trafficmirror.core.compare.engine}.
 */
package dev.trafficmirror.core.compare;
