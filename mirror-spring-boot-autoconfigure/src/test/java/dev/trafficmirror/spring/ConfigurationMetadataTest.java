package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficmirror.servlet.MirrorFilter;
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
            String name = prefix + "." + property.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
            Class<?> propertyType = property.getPropertyType();
            if (propertyType != null && propertyType.getEnclosingClass() == MirrorProperties.class
                    && !propertyType.isEnum()) {
                names.addAll(propertyNames(name, propertyType)); // a group, bound in place: no setter needed
            } else if (property.getWriteMethod() != null) {
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
                "mirror.max-body-size", "mirror.forms", "mirror.connect-timeout", "mirror.timeout", "mirror.max-concurrent",
                "mirror.queue-capacity", "mirror.max-buffered-bytes", "mirror.response-capture-limit",
                "mirror.drain-timeout", "mirror.include-paths", "mirror.exclude-paths",
                "mirror.exclude-management-endpoints", "mirror.methods", "mirror.primary-status",
                "mirror.sampling.strategy", "mirror.sampling.header", "mirror.sampling.cookie",
                "mirror.sampling.query-parameter", "mirror.headers.remove", "mirror.headers.set", "mirror.headers.add",
                "mirror.headers.host", "mirror.headers.host-value", "mirror.circuit-breaker.enabled",
                "mirror.circuit-breaker.failures", "mirror.circuit-breaker.cool-down", "mirror.compare.enabled",
                "mirror.compare.ignore-headers", "mirror.compare.ignore-paths", "mirror.compare.unordered-arrays",
                "mirror.compare.recent-mismatches", "mirror.compare.max-decoded-body-size",
                "mirror.compare.log-interval", "mirror.compare.show-values", "mirror.filter.order",
                "mirror.report.interval", "mirror.report.points", "mirror.redact.default-headers",
                "mirror.redact.headers", "mirror.redact.json-paths", "mirror.redact.form-fields");
        assertThat(byName).containsOnlyKeys(expected);
        assertThat(endpointProperties).contains("management.endpoint.mirror.access");
        assertThat(expected).allSatisfy(name -> assertThat(byName.get(name).path("description").asText())
                .as("description of %s", name).hasSizeGreaterThan(20).endsWith("."));
        assertThat(byName.get("mirror.max-body-size").get("defaultValue").asText()).isEqualTo("1MB");
        assertThat(byName.get("mirror.timeout").get("defaultValue").asText()).isEqualTo("5s");
        assertThat(byName.get("mirror.forms").get("defaultValue").asText()).isEqualTo("rebuild");
        assertThat(byName.get("mirror.enabled").get("defaultValue").asBoolean()).isTrue();
        assertThat(byName.get("mirror.percentage").get("defaultValue").asDouble()).isEqualTo(100.0);
        assertThat(byName.get("mirror.exclude-management-endpoints").get("defaultValue").asBoolean()).isTrue();
        assertThat(byName.get("mirror.sampling.strategy").get("defaultValue").asText()).isEqualTo("random");
        assertThat(byName.get("mirror.headers.host").get("defaultValue").asText()).isEqualTo("target");
        assertThat(byName.get("mirror.circuit-breaker.enabled").get("defaultValue").asBoolean()).isTrue();
        assertThat(byName.get("mirror.circuit-breaker.failures").get("defaultValue").asInt()).isEqualTo(10);
        assertThat(byName.get("mirror.circuit-breaker.cool-down").get("defaultValue").asText()).isEqualTo("10s");
        assertThat(byName.get("mirror.circuit-breaker.cool-down").get("type").asText()).isEqualTo("java.time.Duration");
        assertThat(byName.get("mirror.compare.enabled").get("defaultValue").asBoolean()).isFalse();
        assertThat(byName.get("mirror.compare.recent-mismatches").get("defaultValue").asInt()).isEqualTo(100);
        assertThat(byName.get("mirror.compare.max-decoded-body-size").get("defaultValue").asText()).isEqualTo("1MB");
        assertThat(byName.get("mirror.compare.log-interval").get("defaultValue").asText()).isEqualTo("10s");
        assertThat(byName.get("mirror.compare.show-values").get("defaultValue").asBoolean()).isFalse();
        assertThat(byName.get("mirror.filter.order").get("defaultValue").asInt())
                .isEqualTo(MirrorAutoConfiguration.FILTER_ORDER);
        assertThat(byName.get("mirror.report.interval").get("defaultValue").asText()).isEqualTo("10s");
        assertThat(byName.get("mirror.report.points").get("defaultValue").asInt()).isEqualTo(360);
        assertThat(byName.get("mirror.redact.default-headers").get("defaultValue").asBoolean()).isTrue();
    }

    @Test
    void shouldHintUsualValues() throws Exception {
        JsonNode generated = metadata("META-INF/spring-configuration-metadata.json");
        List<String> hinted = new ArrayList<>();
        generated.get("hints").forEach(hint -> {
            hinted.add(hint.get("name").asText());
            hint.get("values").forEach(value -> assertThat(value.path("description").asText()).isNotBlank());
        });
        assertThat(hinted).contains("mirror.percentage", "mirror.max-body-size", "mirror.include-paths",
                "mirror.exclude-paths", "mirror.methods", "mirror.primary-status", "mirror.sampling.strategy",
                "mirror.headers.remove", "mirror.headers.host", "mirror.headers.host-value",
                "mirror.compare.ignore-headers", "mirror.compare.ignore-paths", "mirror.compare.unordered-arrays");
    }

    /** The hints for enumerated properties offer every value the property accepts, as users write them. */
    @Test
    void shouldHintEveryValueOfTheEnumeratedProperties() throws Exception {
        JsonNode generated = metadata("META-INF/spring-configuration-metadata.json");
        Map<String, List<String>> values = new HashMap<>();
        generated.get("hints").forEach(hint -> {
            List<String> hinted = new ArrayList<>();
            hint.get("values").forEach(value -> hinted.add(value.get("value").asText()));
            values.put(hint.get("name").asText(), hinted);
        });
        assertThat(values.get("mirror.sampling.strategy")).containsExactlyInAnyOrderElementsOf(
                names(MirrorProperties.SamplingStrategy.values()));
        assertThat(values.get("mirror.headers.host")).containsExactlyInAnyOrderElementsOf(
                names(MirrorProperties.HostMode.values()));
        assertThat(values.get("mirror.forms")).containsExactlyInAnyOrderElementsOf(names(MirrorFilter.Forms.values()));
    }

    private static List<String> names(Enum<?>[] constants) {
        List<String> names = new ArrayList<>();
        for (Enum<?> constant : constants) {
            names.add(constant.name().toLowerCase());
        }
        return names;
    }
}
