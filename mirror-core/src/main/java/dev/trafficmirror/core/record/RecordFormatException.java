package dev.trafficmirror.core.record;

/**
 * A line that is not a record {@link RecordFormat} can read: not JSON, a field missing or of the
 * wrong type, or a record of another format or version.
 */
public final class RecordFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final boolean unknownVersion;

    RecordFormatException(String message, boolean unknownVersion, Throwable cause) {
        super(message, cause);
        this.unknownVersion = unknownVersion;
    }

    /** Whether the line is a record of a format or version this one does not read (its {@code _format}). */
    public boolean unknownVersion() {
        return unknownVersion;
    }
}
