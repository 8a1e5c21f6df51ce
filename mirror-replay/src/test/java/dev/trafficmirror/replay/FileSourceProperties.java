package dev.trafficmirror.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.MirrorRequest;
import dev.trafficmirror.core.Redaction;
import dev.trafficmirror.core.integration.PrimaryResponse;
import dev.trafficmirror.core.record.RecordFormat;
import dev.trafficmirror.core.record.RecordedExchange;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A recording's file cut into lines whatever the lines' lengths against the reader's 64 KiB buffer:
 * records of every size (bodies up to 200 KB, so that lines cross the buffer's end), CRLF endings,
 * empty and corrupt lines, a last line with or without its line feed.
 */
class FileSourceProperties {

    /** One line of a generated recording: a record whose body has {@code bodySize} bytes, or junk. */
    record Item(boolean record, int bodySize, boolean crlf) {
    }

    @Property(tries = 60)
    void shouldReadEachLineAsWrittenAndNameItByItsNumber(@ForAll("recordings") List<Item> items,
            @ForAll boolean lastLineFeed) throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item.record()) {
                file.writeBytes(RecordFormat.encode(exchange(i, item.bodySize())));
            } else if (item.bodySize() > 0) {
                file.writeBytes(("{not json " + "x".repeat(item.bodySize())).getBytes(StandardCharsets.UTF_8));
            }
            if (item.crlf()) {
                file.write('\r');
            }
            if (i < items.size() - 1 || lastLineFeed) {
                file.write('\n');
            }
        }
        Path path = Files.createTempFile("recording", ".jsonl");
        try {
            Files.write(path, file.toByteArray());
            try (FileSource source = new FileSource(List.of(path))) {
                // A last line that is empty and has no line feed is no line at all.
                int lines = items.size();
                Item last = items.get(items.size() - 1);
                if (!lastLineFeed && !last.record() && last.bodySize() == 0 && !last.crlf()) {
                    lines--;
                }
                assertThat(source.size()).isEqualTo(lines);
                for (int i = 0; i < lines; i++) {
                    RecordSource.Line line = source.next();
                    Item item = items.get(i);
                    assertThat(line.where()).isEqualTo("line " + (i + 1));
                    if (item.record()) {
                        assertThat(line.unreadable()).as(line.problem()).isFalse();
                        assertThat(line.exchange().id()).isEqualTo("req-" + i);
                        assertThat(line.exchange().request().bodyBytes()).isEqualTo(body(i, item.bodySize()));
                    } else {
                        assertThat(line.unreadable()).isTrue();
                        assertThat(line.problem()).startsWith(item.bodySize() == 0 ? "empty line" : "not JSON");
                    }
                }
                assertThat(source.next()).isNull();
                assertThat(source.next()).isNull();
            }
        } finally {
            Files.delete(path);
        }
    }

    @Provide
    Arbitrary<List<Item>> recordings() {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 300)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(60_000, 70_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(100_000, 200_000)));
        Arbitrary<Item> item = Combinators.combine(Arbitraries.integers().between(0, 9).map(n -> n < 7), sizes,
                Arbitraries.integers().between(0, 4).map(n -> n == 0)).as(Item::new);
        return item.list().ofMinSize(1).ofMaxSize(12);
    }

    private static RecordedExchange exchange(int i, int bodySize) {
        MirrorRequest request = MirrorRequest.builder("POST", "/items/" + i).header("X-Request-Id", "req-" + i)
                .body(body(i, bodySize)).build();
        return new RecordedExchange("req-" + i, Instant.ofEpochSecond(1_700_000_000L + i), request,
                PrimaryResponse.builder(200).build(), Redaction.none());
    }

    private static byte[] body(int i, int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ('a' + i % 26));
        return body;
    }
}
