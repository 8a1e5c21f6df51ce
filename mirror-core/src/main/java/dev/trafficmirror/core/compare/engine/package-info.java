/**
 * The comparison engine, not part of the API (the module does not export it): the diff of status,
 * headers and bodies ({@code ResponseDiff}; JSON field by field in {@code JsonDiff}, over
 * {@code JsonValue} trees that Jackson 3 or Jackson 2 reads, whichever is present:
 * {@code JsonReading}), the noise a control target reveals ({@code NoiseModel}), and the running
 * results per target ({@code ComparisonEngine}, {@code TargetStatistics}).
 *
 * <p>In the flow (filter, snapshot, decide, lane, send, <b>compare</b>) a target's lane hands it
 * each comparing target's answer, off the request thread.
 */
package dev.trafficmirror.core.compare.engine;
