package dev.trafficmirror.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.ShadowResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Over random valid answers (interim answers first, random headers, a body framed by
 * Content-Length, by chunks with extensions and trailers, or by the end of the connection; HEAD,
 * 204 and 304 with a Content-Length to ignore) handed over in random pieces, one-byte pieces
 * included: {@link ResponseReader} finds the answer the shadow meant, keeps exactly the first
 * {@code captureLimit} bytes of its body, says whether the connection can carry another exchange,
 * and leaves what follows the answer unread.
 */
class ResponseReaderPropertyTest {

    private static final String TCHAR = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
    private static final List<String> FRAMING_NAMES = List.of("content-length", "transfer-encoding", "connection");

    enum Framing { LENGTH, CHUNKED, UNTIL_CLOSE }

    /** A header as sent: optional whitespace around the value, which the reader must drop. */
    record Field(String name, String value, String before, String after) {
        String line() {
            return name + ":" + before + value + after + "\r\n";
        }
    }

    record Head(String version, List<Integer> interims, List<Field> interimFields, int status, String reason,
            List<Field> fields, String connection, boolean headRequest) {
    }

    record Body(Framing framing, byte[] bytes, List<Integer> chunkSizes, List<String> extensions,
            List<Field> trailers, int framingPosition, boolean upperCase) {
    }

    /** An answer on the wire, what the reader should find in it, and what follows it. */
    record Answer(byte[] wire, boolean headRequest, int status, List<Map.Entry<String, String>> headers,
            byte[] body, boolean untilClose, boolean keepAlive, byte[] after) {
        @Override
        public String toString() {
            return new String(wire, StandardCharsets.ISO_8859_1);
        }
    }

    @Provide
    Arbitrary<Answer> answers() {
        return Combinators.combine(heads(), bodies(), afters()).as(ResponseReaderPropertyTest::assemble);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 2000).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<Boolean> sometimes() {
        return oneIn(4);
    }

    /**
     * @param cuts where the wire is cut into pieces, unless {@code byteByByte}
     * @param limit the capture limit, unless {@code nearBody}: then the body's length plus {@code offset},
     *     where off-by-one mistakes hide
     */
    @Property(tries = 1500)
    void shouldReadWhatTheShadowMeant(@ForAll("answers") Answer answer, @ForAll("cuts") List<Integer> cuts,
            @ForAll("sometimes") boolean byteByByte, @ForAll @IntRange(max = 300) int limit,
            @ForAll("sometimes") boolean nearBody,
            @ForAll @IntRange(min = -1, max = 1) int offset) throws IOException {
        byte[] body = answer.body();
        int captureLimit = nearBody ? Math.max(0, body.length + offset) : limit;
        boolean truncated = body.length > captureLimit;
        boolean reusable = answer.keepAlive() && !truncated && !answer.untilClose();
        Statistics.label("framing").collect(answer.untilClose() ? "until close" : body.length == 0 ? "no body" : "framed");
        Statistics.label("limit").collect(captureLimit < body.length ? "below the body"
                : captureLimit == body.length ? "the body's length" : "above the body");
        Statistics.label("outcome").collect(truncated ? "truncated" : reusable ? "reusable" : "complete, not reusable");
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("truncated").percentage(p -> p > 10);
            coverage.check("reusable").percentage(p -> p > 10);
            coverage.check("complete, not reusable").percentage(p -> p > 10);
        });

        ResponseReader reader = new ResponseReader(answer.headRequest(), captureLimit);
        Wire.Fed fed = Wire.feed(reader, answer.wire(), byteByByte ? Wire.everyByte(answer.wire()) : cuts);

        ShadowResponse response = reader.response();
        assertThat(response.status()).isEqualTo(answer.status());
        assertThat(response.headers()).containsExactlyElementsOf(answer.headers());
        assertThat(response.body()).isEqualTo(Arrays.copyOf(body, Math.min(body.length, captureLimit)));
        assertThat(response.truncated()).isEqualTo(truncated);
        assertThat(reader.reusable()).isEqualTo(reusable);
        // An answer read until close ends only with the connection, unless the reader gave up on it.
        assertThat(fed.completeBeforeEnd()).isEqualTo(!answer.untilClose() || truncated);
        if (!truncated) {
            assertThat(fed.unread()).isEqualTo(answer.after());
        }
    }

    private static Arbitrary<Head> heads() {
        Arbitrary<String> version = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just("HTTP/1.1")),
                Tuple.of(1, Arbitraries.just("HTTP/1.0")));
        Arbitrary<List<Integer>> interims = Arbitraries.of(100, 102, 103).list().ofMaxSize(2);
        Arbitrary<Integer> status = oneIn(6).flatMap(noBody -> noBody ? Arbitraries.of(204, 304)
                : Arbitraries.integers().between(200, 599));
        Arbitrary<String> reason = Arbitraries.of("", " ", " OK", " Not Found", " Odd: reason\tphrase");
        Arbitrary<String> connection = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.of("keep-alive", "close", "Keep-Alive, Close", "Upgrade")));
        return Combinators.combine(version, interims, fields(2), status, reason, fields(6), connection,
                oneIn(6))
                .as((v, i, iFields, s, r, f, c, head) -> new Head(v, i, iFields, s, r, f, c.isEmpty() ? null : c, head));
    }

    /** True about once in {@code n}; a boolean arbitrary would be true half the time. */
    private static Arbitrary<Boolean> oneIn(int n) {
        return Arbitraries.integers().between(1, n).withDistribution(RandomDistribution.uniform()).map(i -> i == 1);
    }

    private static Arbitrary<Body> bodies() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
                .withSizeDistribution(RandomDistribution.uniform());
        Arbitrary<List<Integer>> chunkSizes = Arbitraries.integers().between(1, 90).list().ofMinSize(1).ofMaxSize(6);
        Arbitrary<List<String>> extensions = Arbitraries.of("", ";a", ";name=value", " ; q=\"x;y\"", ";a;b=1")
                .list().ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(Arbitraries.of(Framing.class), bytes, chunkSizes, extensions, fields(2),
                Arbitraries.integers().between(0, 100), Arbitraries.of(true, false))
                .as(Body::new);
    }

    /** What follows the answer on the connection: nothing, or the start of another answer. */
    private static Arbitrary<byte[]> afters() {
        return Arbitraries.of("", "H", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", "\r\n")
                .map(Wire::bytes);
    }

    private static Arbitrary<List<Field>> fields(int most) {
        Arbitrary<String> names = Arbitraries.strings().withChars(TCHAR).ofMinLength(1).ofMaxLength(12)
                .filter(name -> !FRAMING_NAMES.contains(name.toLowerCase(Locale.ROOT)));
        // Visible ASCII, obs-text and inner spaces; optional whitespace is added around it apart.
        Arbitrary<String> values = Arbitraries.strings().withCharRange('!', '~').withCharRange('\u00a0', '\u00ff')
                .withChars(' ', '\t').ofMaxLength(20)
                .map(value -> value.replaceAll("^[ \t]+|[ \t]+$", ""));
        Arbitrary<String> whitespace = Arbitraries.of("", " ", "  ", "\t", " \t ");
        return Combinators.combine(names, values, whitespace, whitespace).as(Field::new).list().ofMaxSize(most);
    }

    private static Answer assemble(Head head, Body body, byte[] after) {
        boolean noBody = head.headRequest() || head.status() == 204 || head.status() == 304;
        byte[] bytes = body.bytes();
        List<Field> fields = new ArrayList<>(head.fields());
        Field framing = switch (body.framing()) {
            // For an answer without body, a length the reader must ignore.
            case LENGTH -> new Field(body.upperCase() ? "CONTENT-LENGTH" : "Content-Length",
                    Integer.toString(bytes.length), " ", "");
            case CHUNKED -> new Field(body.upperCase() ? "TRANSFER-ENCODING" : "Transfer-Encoding",
                    "chunked", " ", "");
            case UNTIL_CLOSE -> null;
        };
        if (framing != null) {
            fields.add(body.framingPosition() % (fields.size() + 1), framing);
        }
        if (head.connection() != null) {
            fields.add(new Field("Connection", head.connection(), " ", ""));
        }

        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int interim : head.interims()) {
            write(wire, head.version() + " " + interim + " Interim\r\n");
            head.interimFields().forEach(field -> write(wire, field.line()));
            write(wire, "\r\n");
        }
        write(wire, head.version() + " " + head.status() + head.reason() + "\r\n");
        fields.forEach(field -> write(wire, field.line()));
        write(wire, "\r\n");
        boolean untilClose = !noBody && body.framing() == Framing.UNTIL_CLOSE;
        if (!noBody) {
            if (body.framing() == Framing.CHUNKED) {
                writeChunks(wire, body);
            } else {
                wire.writeBytes(bytes);
            }
        }
        // Whatever follows an answer read until close is part of its body.
        byte[] following = untilClose ? new byte[0] : after;
        wire.writeBytes(following);

        boolean keepAlive = head.version().equals("HTTP/1.1")
                && (head.connection() == null || !head.connection().toLowerCase(Locale.ROOT).contains("close"));
        List<Map.Entry<String, String>> expected = fields.stream()
                .map(field -> Map.entry(field.name(), field.value())).toList();
        return new Answer(wire.toByteArray(), head.headRequest(), head.status(), expected,
                noBody ? new byte[0] : bytes, untilClose, keepAlive, following);
    }

    private static void writeChunks(ByteArrayOutputStream wire, Body body) {
        byte[] bytes = body.bytes();
        int at = 0;
        for (int i = 0; at < bytes.length; i++) {
            int size = Math.min(body.chunkSizes().get(i % body.chunkSizes().size()), bytes.length - at);
            String hex = Integer.toHexString(size);
            write(wire, (body.upperCase() ? hex.toUpperCase(Locale.ROOT) : hex)
                    + body.extensions().get(i % body.extensions().size()) + "\r\n");
            wire.write(bytes, at, size);
            write(wire, "\r\n");
            at += size;
        }
        write(wire, "0" + body.extensions().get(0) + "\r\n");
        body.trailers().forEach(trailer -> write(wire, trailer.line()));
        write(wire, "\r\n");
    }

    private static void write(ByteArrayOutputStream wire, String text) {
        wire.writeBytes(Wire.bytes(text));
    }
}
