/**
 * The replay tool (artifact {@code mirror-replay}, a runnable jar): a recording of
 * {@code trafficmirror-har/1} sent to any version through a mirror's own send path and bounds,
 * each answer compared with the recorded primary answer. {@link dev.trafficmirror.replay.Replay}
 * is the command; everything else is package-private. See docs/replay.md.
 */
package dev.trafficmirror.replay;
