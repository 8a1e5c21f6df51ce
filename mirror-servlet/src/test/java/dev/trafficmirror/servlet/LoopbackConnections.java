package dev.trafficmirror.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Counts, from the kernel's socket tables, the client connections this machine holds open to a
 * loopback port: what a leak of connections (or of half-closed sockets) would show. Linux only
 * ({@code /proc/net/tcp}); {@link #supported()} says whether the count can be taken here.
 */
final class LoopbackConnections {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    /** ESTABLISHED, SYN_SENT, CLOSE_WAIT: states in which the client still holds the socket open. */
    private static final Set<String> HELD = Set.of("01", "02", "08");

    private LoopbackConnections() {
    }

    static boolean supported() {
        return Files.isReadable(TABLES.get(0));
    }

    /** Connections whose remote end is {@code port}: the client ends of connections to a server there. */
    static int to(int port) {
        int count = 0;
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String remote = fields[2];
                int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
                if (remotePort == port && HELD.contains(fields[3])) {
                    count++;
                }
            }
        }
        return count;
    }
}
