package dev.trafficmirror.core.record.file;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.Reason;
import dev.trafficmirror.core.record.RecordedExchange;
import dev.trafficmirror.core.record.Recorder;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to a file, one line each, appended; rotates it by size, keeping a bounded number of
 * rotated files. Built into mirror-core for {@code file:} targets.
 *
 * <p>Records are gathered in a buffer of {@value #BUFFER_BYTES} bytes and written when it is full or
 * when no more records are waiting ({@link #flush}); a record counts as written only once its bytes
 * are in the file. A write that fails (a full disk) drops the records it held, counted with their
 * reason, and the file is cut back to the end of the last whole line, so that it never holds half a
 * record. Rotation renames {@code traffic.jsonl} to {@code traffic.20261201T101500.123Z.jsonl} (so that
 * the names sort in the order written, the current file last) and starts a new file.
 */
public final class FileRecorder implements Recorder {

    static final int BUFFER_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(Mirror.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final String target;
    private final Path file;
    private final long maxFileBytes;
    private final int maxFiles;
    private final String base;
    private final String extension;
    private final Pattern rotated;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private final List<Written> buffered = new ArrayList<>();
    private FileChannel channel;
    /** The file's size as far as whole records were written to it. */
    private long size;
    private Instant lastRotation = Instant.EPOCH;
    private boolean closed;

    /**
     * Opens (creates, or appends to) the file.
     *
     * @param maxFileBytes the size past which the file is rotated
     * @param maxFiles how many rotated files are kept besides the current one
     * @throws IllegalArgumentException if the file cannot be opened for appending
     */
    public FileRecorder(String target, Path file, long maxFileBytes, int maxFiles) {
        this.target = target;
        this.file = file.toAbsolutePath().normalize();
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
        String name = this.file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        this.base = dot > 0 ? name.substring(0, dot) : name;
        this.extension = dot > 0 ? name.substring(dot) : "";
        this.rotated = Pattern.compile(Pattern.quote(base) + "\\.\\d{8}T\\d{6}\\.\\d{3}Z(-\\d+)?" + Pattern.quote(extension));
        try {
            open();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open " + this.file + " to record to: " + e, e);
        }
    }

    /**
     * The file a {@code file:} URL names: {@code file:/var/log/traffic.jsonl}, {@code file:///var/log/traffic.jsonl}
     * or, relative to the working directory, {@code file:traffic.jsonl}.
     *
     * @throws IllegalArgumentException saying what the URL lacks or has that it must not
     */
    public static Path path(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("target url '" + url + "' is not a valid URL: " + e.getMessage(), e);
        }
        String path = uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath();
        if (uri.getRawQuery() != null || uri.getRawFragment() != null
                || (!uri.isOpaque() && uri.getRawAuthority() != null && !uri.getRawAuthority().equals("localhost"))) {
            throw new IllegalArgumentException("target url '" + url + "' must be file: and a path, e.g."
                    + " file:/var/log/traffic.jsonl, without a host, query or fragment");
        }
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            throw new IllegalArgumentException("target url '" + url + "' must name a file, e.g. file:/var/log/traffic.jsonl");
        }
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("target url '" + url + "' names no valid path: " + e.getMessage(), e);
        }
    }

    private void open() throws IOException {
        Path parent = file.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = channel.size();
    }

    @Override
    public synchronized void write(RecordedExchange record, byte[] line, Written written) {
        if (closed) {
            written.notWritten(Reason.SHUTDOWN, null);
            return;
        }
        long pending = buffer.position();
        if (size + pending > 0 && size + pending + line.length + 1 > maxFileBytes) {
            writeOut();
            rotate();
        }
        if (line.length + 1 > buffer.remaining()) {
            writeOut();
        }
        if (line.length + 1 > buffer.capacity()) {
            ByteBuffer alone = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
            write(alone, List.of(written));
            return;
        }
        buffer.put(line).put((byte) '\n');
        buffered.add(written);
    }

    @Override
    public synchronized void flush() {
        writeOut();
    }

    private void writeOut() {
        if (buffered.isEmpty()) {
            return;
        }
        buffer.flip();
        List<Written> those = List.copyOf(buffered);
        buffered.clear();
        write(buffer, those);
        buffer.clear();
    }

    /** Writes {@code bytes} whole, then tells {@code records} how it went. */
    private void write(ByteBuffer bytes, List<Written> records) {
        int length = bytes.remaining();
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            size += length;
        } catch (IOException e) {
            cutBack();
            Reason reason = isDiskFull(e) ? Reason.DISK_FULL : Reason.IO;
            records.forEach(record -> record.notWritten(reason, e));
            return;
        }
        records.forEach(Written::written);
    }

    /** After a failed write, cuts the file back to its last whole line. */
    private void cutBack() {
        try {
            if (channel.size() > size) {
                channel.truncate(size);
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("Target '{}' could not cut {} back to {} bytes", target, file, size, e);
        }
    }

    static boolean isDiskFull(IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("no space left") || message.contains("quota") || message.contains("not enough space");
    }

    private void rotate() {
        try {
            channel.close();
            // Each name later than the one before, even within a millisecond: names sort as written.
            Instant stamp = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            lastRotation = stamp = stamp.isAfter(lastRotation) ? stamp : lastRotation.plusMillis(1);
            Path to = file.resolveSibling(base + "." + STAMP.format(stamp) + extension);
            for (int n = 1; Files.exists(to); n++) {
                to = file.resolveSibling(base + "." + STAMP.format(stamp) + "-" + n + extension);
            }
            Files.move(file, to);
            deleteOldest();
        } catch (IOException e) {
            log.warn("Target '{}' could not rotate {}; it goes on writing to it", target, file, e);
        }
        try {
            open();
        } catch (IOException e) {
            log.warn("Target '{}' could not open {} again after rotating it", target, file, e);
        }
    }

    private void deleteOldest() throws IOException {
        List<Path> old;
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            old = siblings.filter(path -> rotated.matcher(path.getFileName().toString()).matches()).sorted().toList();
        }
        for (int i = 0; i < old.size() - maxFiles; i++) {
            Files.deleteIfExists(old.get(i));
        }
    }

    @Override
    public synchronized void close(Duration timeout) {
        if (closed) {
            return;
        }
        writeOut();
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Target '{}' could not close {}", target, file, e);
        }
    }

    @Override
    public String toString() {
        return "FileRecorder{" + file + ", rotated past " + maxFileBytes + " bytes, " + maxFiles + " kept}";
    }
}
