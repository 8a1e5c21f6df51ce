package dev.trafficmirror.core.compare.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.trafficmirror.core.compare.CompareOptions;
import dev.trafficmirror.core.compare.Difference;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Over random JSON documents (nested objects and arrays, keys and strings with escapes and any
 * Unicode, numbers as integers, decimals with trailing zeros and exponents), written with random
 * spacing and key order: Jackson 3 and Jackson 2 read the same {@link JsonValue} (so comparison
 * is the same with either), which is the document written; and the diff finds a document equal to
 * itself written otherwise, and exactly the one leaf that changed. Runs where both Jacksons are on
 * the class path (the default Surefire execution).
 */
class JsonReadersPropertyTest {

    @Provide
    Arbitrary<JsonValue> documents() {
        return value(4);
    }

    private Arbitrary<JsonValue> value(int depth) {
        Arbitrary<JsonValue> leaf = Arbitraries.oneOf(strings(), numbers(),
                Arbitraries.of(JsonValue.Literal.values()).map(literal -> (JsonValue) literal));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonValue> object = Arbitraries.maps(text(), Arbitraries.lazy(() -> value(depth - 1))).ofMaxSize(4)
                .map(fields -> new JsonValue.Obj(new LinkedHashMap<>(fields)));
        Arbitrary<JsonValue> array = Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(4)
                .map(JsonValue.Arr::new);
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(2, object), Tuple.of(2, array));
    }

    /** Any Unicode but lone surrogates, which JSON text cannot hold. */
    private static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\ufffd')
                .withChars("\"\\/\n\t").ofMaxLength(8);
    }

    private static Arbitrary<JsonValue> strings() {
        return text().map(JsonValue.Str::new);
    }

    /** Numbers as JSON writes them: -0, 12, 4.50, 1E+3, 2.5e-7. */
    private static Arbitrary<JsonValue> numbers() {
        Arbitrary<String> integers = Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(),
                BigInteger.TEN.pow(30)).map(Object::toString);
        Arbitrary<String> decimals = Arbitraries.bigDecimals().between(new BigDecimal("-1e6"), new BigDecimal("1e6"))
                .ofScale(4).map(BigDecimal::toPlainString);
        Arbitrary<String> exponents = Arbitraries.integers().between(1, 999).flatMap(mantissa ->
                Arbitraries.integers().between(-30, 30).flatMap(exponent -> Arbitraries.of("e", "E", "E+", "e-")
                        .map(mark -> mantissa + mark.replace("-", "") + (mark.endsWith("-") ? -Math.abs(exponent)
                                : Math.abs(exponent)))));
        return Arbitraries.oneOf(integers, decimals, exponents, Arbitraries.of("-0", "0", "0.0", "-0.0e0"))
                .map(JsonValue.Num::of);
    }

    @Property(tries = 300)
    void shouldReadTheSameDocumentWithEitherJackson(@ForAll("documents") JsonValue document, @ForAll long seed) {
        byte[] json = write(document, new Random(seed), false).getBytes(StandardCharsets.UTF_8);

        JsonValue read3 = Jackson3Reader.read(json, json.length);
        JsonValue read2 = Jackson2Reader.read(json, json.length);

        assertThat(read3).isEqualTo(document);
        assertThat(read2).isEqualTo(read3);
    }

    @Property(tries = 300)
    void shouldRefuseTheSameBrokenDocumentsWithEitherJackson(@ForAll("documents") JsonValue document,
            @ForAll long seed) {
        byte[] json = write(document, new Random(seed), false).getBytes(StandardCharsets.UTF_8);
        int cut = new Random(seed).nextInt(json.length);

        assertThat(Jackson2Reader.read(json, cut)).isEqualTo(Jackson3Reader.read(json, cut));
    }

    @Property(tries = 300)
    void shouldFindADocumentEqualToItselfWrittenOtherwise(@ForAll("documents") JsonValue document, @ForAll long seed) {
        Random random = new Random(seed);
        byte[] primary = write(document, random, false).getBytes(StandardCharsets.UTF_8);
        byte[] shadow = write(document, random, true).getBytes(StandardCharsets.UTF_8);
        Differences out = new Differences();

        assertThat(JsonDiff.diff(primary, primary.length, shadow, shadow.length, CompareOptions.defaults(), out)).isTrue();
        assertThat(out.list()).isEmpty();
    }

    @Property(tries = 300)
    void shouldFindExactlyTheLeafThatChanged(@ForAll("documents") JsonValue document, @ForAll long seed) {
        Random random = new Random(seed);
        List<String> leaves = new ArrayList<>();
        leaves(document, FieldPath.ROOT, leaves);
        String changed = leaves.get(random.nextInt(leaves.size()));
        byte[] primary = write(document, random, false).getBytes(StandardCharsets.UTF_8);
        byte[] shadow = write(change(document, FieldPath.ROOT, changed), random, true).getBytes(StandardCharsets.UTF_8);
        Differences out = new Differences();

        JsonDiff.diff(primary, primary.length, shadow, shadow.length, CompareOptions.defaults(), out);

        assertThat(out.list()).extracting(Difference::path, Difference::kind)
                .containsExactly(tuple(changed, Difference.Kind.CHANGED));
    }

    /** Every leaf's path: scalars, and empty objects and arrays. */
    private static void leaves(JsonValue value, FieldPath path, List<String> out) {
        if (value instanceof JsonValue.Obj object && !object.fields().isEmpty()) {
            object.fields().forEach((key, child) -> leaves(child, path.key(key), out));
        } else if (value instanceof JsonValue.Arr array && !array.elements().isEmpty()) {
            for (int i = 0; i < array.elements().size(); i++) {
                leaves(array.elements().get(i), path.index(i), out);
            }
        } else {
            out.add(path.toString());
        }
    }

    /** The document with the leaf at {@code target} replaced by a value of another kind. */
    private static JsonValue change(JsonValue value, FieldPath path, String target) {
        if (path.toString().equals(target)) {
            return value instanceof JsonValue.Str ? JsonValue.Num.of("7") : new JsonValue.Str(value + "!");
        }
        if (value instanceof JsonValue.Obj object) {
            Map<String, JsonValue> fields = new LinkedHashMap<>();
            object.fields().forEach((key, child) -> fields.put(key, change(child, path.key(key), target)));
            return new JsonValue.Obj(fields);
        }
        if (value instanceof JsonValue.Arr array) {
            List<JsonValue> elements = new ArrayList<>();
            for (int i = 0; i < array.elements().size(); i++) {
                elements.add(change(array.elements().get(i), path.index(i), target));
            }
            return new JsonValue.Arr(elements);
        }
        return value;
    }

    /**
     * The document as JSON text, with random spacing, and with {@code otherwise} its keys shuffled,
     * its strings written with \\u escapes here and there and numbers by equal values in other forms.
     */
    private static String write(JsonValue value, Random random, boolean otherwise) {
        StringBuilder out = new StringBuilder();
        write(value, random, otherwise, out);
        return out.toString();
    }

    private static void write(JsonValue value, Random random, boolean otherwise, StringBuilder out) {
        space(random, out);
        if (value instanceof JsonValue.Obj object) {
            List<Map.Entry<String, JsonValue>> fields = new ArrayList<>(object.fields().entrySet());
            if (otherwise) {
                Collections.shuffle(fields, random);
            }
            out.append('{');
            for (int i = 0; i < fields.size(); i++) {
                out.append(i == 0 ? "" : ",");
                space(random, out);
                string(fields.get(i).getKey(), random, otherwise, out);
                space(random, out);
                out.append(':');
                write(fields.get(i).getValue(), random, otherwise, out);
            }
            space(random, out);
            out.append('}');
        } else if (value instanceof JsonValue.Arr array) {
            out.append('[');
            for (int i = 0; i < array.elements().size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(array.elements().get(i), random, otherwise, out);
            }
            space(random, out);
            out.append(']');
        } else if (value instanceof JsonValue.Str string) {
            string(string.value(), random, otherwise, out);
        } else if (value instanceof JsonValue.Num number && otherwise && random.nextBoolean()) {
            out.append(number.value().toString().contains("E") ? number.value().toPlainString()
                    : number.value().setScale(Math.max(number.value().scale(), 0) + 1) + (random.nextBoolean() ? "" : "e0"));
        } else {
            out.append(value);
        }
        space(random, out);
    }

    private static void string(String text, Random random, boolean otherwise, StringBuilder out) {
        if (!otherwise || random.nextBoolean()) {
            JsonValue.quote(text, out);
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || random.nextInt(3) == 0) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** JSON's whitespace: space, tab, line feed, carriage return. */
    private static void space(Random random, StringBuilder out) {
        for (int n = random.nextInt(3); n > 0; n--) {
            out.append(" \t\n\r".charAt(random.nextInt(4)));
        }
    }
}
