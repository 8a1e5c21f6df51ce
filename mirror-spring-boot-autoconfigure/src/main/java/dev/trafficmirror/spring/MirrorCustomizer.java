package dev.trafficmirror.spring;

import dev.trafficmirror.core.Mirror;

/**
 * Adjusts the {@link Mirror.Builder} after the {@code mirror.*} properties are applied, for what
 * properties cannot express. Every bean of this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface MirrorCustomizer {

    /** Changes the builder in place. */
    void customize(Mirror.Builder builder);
}
