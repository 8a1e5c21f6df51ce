package dev.trafficmirror.servlet;

import io.micrometer.core.instrument.Counter;

/**
 * Bodies the container parsed itself and the filter rebuilds: the {@code mirror.body.rebuilt}
 * counter of each type, and whether forms are rebuilt at all ({@link MirrorFilter.Forms}).
 */
record BodyRebuilds(Counter multipart, Counter form, boolean forms) {
}
