package dev.trafficmirror.core.compare.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tag;

/**
 * Where the engine registers its counters: the mirror's own meters, which tag them with the
 * mirror's name and remove them when it closes.
 */
@FunctionalInterface
public interface Counters {

    /** A counter of this name, with these tags besides the mirror's. */
    Counter counter(String name, String description, Iterable<Tag> tags);
}
