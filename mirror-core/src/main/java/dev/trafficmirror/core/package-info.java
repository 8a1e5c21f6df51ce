/**
 * The API of trafficmirror: what an application programs against to mirror its requests.
 *
 * <p>{@link dev.trafficmirror.core.Mirror} is built once ({@code Mirror.builder()...build()}) with
 * its {@link dev.trafficmirror.core.MirrorTarget targets}, {@link dev.trafficmirror.core.Sampling
 * sampling}, {@link dev.trafficmirror.core.Conditions conditions} and
 * {@link dev.trafficmirror.core.HeaderRules header rules}, and takes immutable
 * {@link dev.trafficmirror.core.MirrorRequest snapshots}. What became of each copy is counted by
 * {@link dev.trafficmirror.core.Reason reason} and {@link dev.trafficmirror.core.Outcome outcome}
 * and read back as {@link dev.trafficmirror.core.TargetStats}.
 *
 * <p>In the flow (filter, snapshot, <b>decide</b>, <b>lane</b>, send, compare) this package decides
 * which targets take a request and hands each copy to its target's lane: the package-private
 * {@code Dispatcher}, {@code TargetRoute} (sampling, conditions) and {@code TargetLane} (bounds,
 * breaker, metrics) live here, behind the facade. Copies are sent by
 * {@code dev.trafficmirror.core.http}, or by a {@link dev.trafficmirror.core.MirrorSink} of the
 * application's own, and compared by {@code dev.trafficmirror.core.compare}.
 */
package dev.trafficmirror.core;
