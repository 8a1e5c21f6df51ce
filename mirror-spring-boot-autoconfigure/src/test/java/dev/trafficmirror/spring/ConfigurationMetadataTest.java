package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;

/** IDEs complete and explain {@code mirror.*} from the metadata the build generates. */
class ConfigurationMetadataTest {

    private static JsonNode metadata(String resource) throws Exception {
        try (InputStream in = ConfigurationMetadataTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    /** Every property of the class, nested groups included, by the name users write. */
    private static List<String> propertyNames(String prefix, Class<?> type) {
        List<String> names = new ArrayList<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            if (property.getWriteMethod() == null) {
                continue;
            }
            String name = prefix + "." + property.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
            Class<?> propertyType = property.getPropertyType();
            if (propertyType.getEnclosingClass() == MirrorProperties.class && !propertyType.isEnum()) {
                names.addAll(propertyNames(name, propertyType));
            } else {
                names.add(name);
            }
        }
        return names;
    }

    @Test
    void shouldDescribeEveryPropertyWithItsDefault() throws Exception {
        JsonNode generated = metadata("META-INF/spring-configuration-metadata.json");
        Map<String, JsonNode> byName = new HashMap<>();
        List<String> endpointProperties = new ArrayList<>();
        generated.get("properties").forEach(property -> {
            String name = property.get("name").asText();
            if (name.startsWith("mirror.")) {
                byName.put(name, property);
            } else {
                endpointProperties.add(name);
            }
        });

        List<String> expected = propertyNames("mirror", MirrorProperties.class);

        assertThat(expected).contains("mirror.enabled", "mirror.target", "mirror.targets", "mirror.percentage",
                "mirror.max-body-size", "mirror.connect-timeout", "mirror.timeout", "mirror.max-concurrent",
                "mirror.queue-capacity", "mirror.max-buffered-bytes", "mirror.response-capture-limit",
                "mirror.drain-timeout");
        assertThat(byName).containsOnlyKeys(expected);
        assertThat(endpointProperties).contains("management.endpoint.mirror.access");
        assertThat(expected).allSatisfy(name -> assertThat(byName.get(name).path("description").asText())
                .as("description of %s", name).hasSizeGreaterThan(20).endsWith("."));
        assertThat(byName.get("mirror.max-body-size").get("defaultValue").asText()).isEqualTo("1MB");
        assertThat(byName.get("mirror.timeout").get("defaultValue").asText()).isEqualTo("5s");
        assertThat(byName.get("mirror.enabled").get("defaultValue").asBoolean()).isTrue();
        assertThat(byName.get("mirror.percentage").get("defaultValue").asDouble()).isEqualTo(100.0);
    }

    @Test
    void shouldHintUsualValues() throws Exception {
        JsonNode generated = metadata("META-INF/spring-configuration-metadata.json");
        List<String> hinted = new ArrayList<>();
        generated.get("hints").forEach(hint -> {
            hinted.add(hint.get("name").asText());
            hint.get("values").forEach(value -> assertThat(value.path("description").asText()).isNotBlank());
        });
        assertThat(hinted).contains("mirror.percentage", "mirror.max-body-size");
    }
}
