package dev.trafficmirror.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.trafficmirror.core.compare.engine.PathPattern;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Masks the fields of a JSON body at the redaction's paths. The only class of the redaction that
 * touches Jackson: it is loaded only when Jackson is on the class path (a mirror with JSON paths to
 * mask does not build without it).
 */
final class JsonMask {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // A key given twice would hide its first value from the walk, and leave it in clear.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .build();

    private final List<PathPattern> paths;

    JsonMask(List<String> paths) {
        this.paths = paths.stream().map(PathPattern::parse).toList();
    }

    /**
     * The body with every field at a path masked, or {@code body} itself, byte for byte, when none
     * is there.
     *
     * @throws IOException if the body is not a JSON document
     */
    byte[] mask(byte[] body) throws IOException {
        JsonNode root = MAPPER.readTree(body);
        if (root == null || root.isMissingNode()) {
            throw new IOException("no JSON document");
        }
        List<Object> at = new ArrayList<>();
        if (matches(at)) {
            return MAPPER.writeValueAsBytes(TextNode.valueOf(Redaction.MASK));
        }
        return walk(root, at) ? MAPPER.writeValueAsBytes(root) : body;
    }

    /** Masks what is below {@code node}; whether anything was. */
    private boolean walk(JsonNode node, List<Object> at) {
        boolean masked = false;
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> each = object.fieldNames(); each.hasNext(); ) {
                names.add(each.next());
            }
            for (String name : names) {
                at.add(name);
                if (matches(at)) {
                    object.set(name, TextNode.valueOf(Redaction.MASK));
                    masked = true;
                } else {
                    masked |= walk(object.get(name), at);
                }
                at.remove(at.size() - 1);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                at.add(i);
                if (matches(at)) {
                    array.set(i, TextNode.valueOf(Redaction.MASK));
                    masked = true;
                } else {
                    masked |= walk(array.get(i), at);
                }
                at.remove(at.size() - 1);
            }
        }
        return masked;
    }

    private boolean matches(List<Object> at) {
        Object[] segments = at.toArray();
        for (PathPattern path : paths) {
            if (path.matches(segments)) {
                return true;
            }
        }
        return false;
    }
}
