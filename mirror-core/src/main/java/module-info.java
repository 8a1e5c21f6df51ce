/**
 * trafficmirror's core: mirrors an application's requests to shadow targets without the primary
 * request ever paying for it. Exports the API ({@code dev.trafficmirror.core}), the hooks of
 * container integrations ({@code dev.trafficmirror.core.integration}) and the comparison API
 * ({@code dev.trafficmirror.core.compare}); the wire code and the comparison engine stay inside.
 */
// Micrometer and resilience4j name their modules in their manifests only.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.trafficmirror.core {
    requires transitive micrometer.core;
    requires transitive micrometer.observation;
    requires io.github.resilience4j.bulkhead;
    requires io.github.resilience4j.circuitbreaker;
    requires org.slf4j;
    // Field-by-field JSON comparison when a Jackson is there (3 first, else 2); whole bodies otherwise.
    requires static tools.jackson.core;
    requires static com.fasterxml.jackson.core;
    requires static com.fasterxml.jackson.databind;

    exports dev.trafficmirror.core;
    exports dev.trafficmirror.core.compare;
    exports dev.trafficmirror.core.integration;
    exports dev.trafficmirror.core.record;

    // Recorders of other schemes than file: (mirror-kafka's kafka:).
    uses dev.trafficmirror.core.record.RecorderProvider;
}
