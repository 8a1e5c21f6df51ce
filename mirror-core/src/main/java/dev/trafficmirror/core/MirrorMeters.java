package dev.trafficmirror.core;

import dev.trafficmirror.core.compare.engine.Counters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * Every meter one mirror registers: each tagged {@code mirror=<name>}, so that two mirrors in one
 * registry never add up into one number, and all removed from the registry when the mirror closes.
 */
final class MirrorMeters implements Counters {

    /** The tag that tells one mirror's meters from another's. */
    static final String MIRROR_TAG = "mirror";
    static final String IN_FLIGHT = "mirror.inflight";

    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> registered = new CopyOnWriteArrayList<>();

    /**
     * @throws IllegalStateException if another mirror of this name has its meters in the registry:
     *     their numbers would be added up without a word
     */
    MirrorMeters(MeterRegistry registry, String mirrorName) {
        this.registry = registry;
        this.tags = Tags.of(MIRROR_TAG, mirrorName);
        if (registry.find(IN_FLIGHT).tags(tags).gauge() != null) {
            throw new IllegalStateException("another mirror named '" + mirrorName + "' has its meters in this"
                    + " registry: close it first, or give each mirror a name of its own (Mirror.Builder.name)");
        }
    }

    /** The tags every meter of this mirror carries. */
    Tags tags() {
        return tags;
    }

    MeterRegistry registry() {
        return registry;
    }

    @Override
    public Counter counter(String name, String description, Iterable<Tag> more) {
        return keep(Counter.builder(name).description(description).tags(tags).tags(more).register(registry));
    }

    Timer timer(String name, String description, Iterable<Tag> more) {
        return keep(Timer.builder(name).description(description).tags(tags).tags(more).register(registry));
    }

    <T> Gauge gauge(String name, String description, String baseUnit, T state, ToDoubleFunction<T> value) {
        return keep(Gauge.builder(name, state, value).description(description).baseUnit(baseUnit).tags(tags)
                .register(registry));
    }

    private <M extends Meter> M keep(M meter) {
        registered.add(meter);
        return meter;
    }

    /** Removes every meter registered through this object. */
    void removeAll() {
        for (Meter meter : registered) {
            registry.remove(meter);
        }
        registered.clear();
    }
}
