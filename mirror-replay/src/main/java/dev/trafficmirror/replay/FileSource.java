package dev.trafficmirror.replay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a recording's files line by line, one file after the other (a rotated recording, oldest
 * first), as bytes (so that a line that is not valid UTF-8 is refused, not silently repaired). A
 * line that is not a record is handed back as unreadable with its number (and its file's name,
 * when there are several) and why; the reader goes on with the next. A line longer than
 * {@link #MAX_LINE} is skipped without being held.
 */
final class FileSource implements RecordSource {

    /** The longest line read: a 1 MiB body and a 1 MiB answer in base64 fit many times over. */
    static final int MAX_LINE = 64 << 20;

    private final List<Path> files;
    private int current;
    private InputStream in;
    /*
     * Lines are cut from this buffer, a chunk at a time: a BufferedInputStream read byte by byte
     * took 50 us a line of 1.3 KB (a lock per byte), more than decoding it.
     */
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(8192);
    private long number;

    FileSource(List<Path> files) throws IOException {
        this.files = List.copyOf(files);
        this.in = Files.newInputStream(files.get(0));
    }

    @Override
    public Line next() throws IOException {
        line.reset();
        boolean tooLong = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                int read = in.read(buffer);
                position = 0;
                limit = Math.max(read, 0);
                if (read < 0) {
                    if (any) {
                        break;
                    }
                    if (current + 1 == files.size()) {
                        return null;
                    }
                    in.close();
                    in = Files.newInputStream(files.get(++current));
                    number = 0;
                    continue;
                }
            }
            any = true;
            int newline = indexOfLineFeed(position, limit);
            int end = newline < 0 ? limit : newline;
            int take = Math.min(end - position, MAX_LINE - line.size());
            line.write(buffer, position, take);
            tooLong |= take < end - position;
            position = newline < 0 ? limit : newline + 1;
            if (newline >= 0) {
                break;
            }
        }
        number++;
        String where = (files.size() > 1 ? files.get(current).getFileName() + " " : "") + "line " + number;
        if (tooLong) {
            return new Line(where, null, "longer than " + (MAX_LINE >> 20) + " MiB", false);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return Line.decode(where, length == bytes.length ? bytes : Arrays.copyOf(bytes, length), "empty line");
    }

    private int indexOfLineFeed(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void done(Line line) {
        // A file keeps no place: a replay reads it from the start.
    }

    /** The files' lines: a quick count of line feeds. */
    @Override
    public long size() throws IOException {
        long count = 0;
        byte[] chunk = new byte[1 << 16];
        for (Path file : files) {
            try (InputStream counted = Files.newInputStream(file)) {
                int read;
                int last = '\n';
                while ((read = counted.read(chunk)) > 0) {
                    for (int i = 0; i < read; i++) {
                        if (chunk[i] == '\n') {
                            count++;
                        }
                    }
                    last = chunk[read - 1];
                }
                if (last != '\n') {
                    count++;
                }
            }
        }
        return count;
    }

    @Override
    public void wakeup() {
        // Reading a file never waits for lines to come.
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
