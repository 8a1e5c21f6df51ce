package dev.trafficmirror.replay;

import dev.trafficmirror.core.record.RecordFormat;
import dev.trafficmirror.core.record.RecordFormatException;
import dev.trafficmirror.core.record.RecordedExchange;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a recording line by line, as bytes (so that a line that is not valid UTF-8 is refused, not
 * silently repaired), and decodes each with {@link RecordFormat}. A line that is not a record is
 * handed back as {@link Line#unreadable()} with its number and why; the reader goes on with the
 * next. A line longer than {@link #MAX_LINE} is skipped without being held.
 */
final class RecordingReader implements Closeable {

    /** The longest line read: a 1 MiB body and a 1 MiB answer in base64 fit many times over. */
    static final int MAX_LINE = 64 << 20;

    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(8192);
    private long number;

    RecordingReader(Path file) throws IOException {
        this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    /** One line of the recording: a record, or why it is none. */
    record Line(long number, RecordedExchange exchange, String problem, boolean unknownVersion) {

        boolean unreadable() {
            return exchange == null;
        }
    }

    /** The next line, or {@code null} at the end of the file. */
    Line next() throws IOException {
        line.reset();
        boolean tooLong = false;
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (line.size() < MAX_LINE) {
                line.write(b);
            } else {
                tooLong = true;
            }
        }
        if (b == -1 && line.size() == 0 && !tooLong) {
            return null;
        }
        number++;
        if (tooLong) {
            return new Line(number, null, "longer than " + (MAX_LINE >> 20) + " MiB", false);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        if (length == 0) {
            return new Line(number, null, "empty line", false);
        }
        try {
            byte[] record = length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
            return new Line(number, RecordFormat.decode(record), null, false);
        } catch (RecordFormatException e) {
            return new Line(number, null, e.getMessage(), e.unknownVersion());
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
