package dev.trafficmirror.spring;

/**
 * A named section added to what the {@code mirror} Actuator endpoint reads, for a feature that
 * has more to report than counts and failures. Every bean of this type is included, under
 * {@code sections.<name>}. The auto-configuration adds one itself, {@code comparisons}: the results
 * of comparing shadow answers with the primary's.
 */
public interface MirrorEndpointSection {

    /** The section's key in the endpoint's output; unique among sections. */
    String name();

    /**
     * The section's content as JSON will show it: a map, a list, a record or a plain value. Called
     * on every read of the endpoint, never on a request thread; it must hold no secret.
     */
    Object content();
}
