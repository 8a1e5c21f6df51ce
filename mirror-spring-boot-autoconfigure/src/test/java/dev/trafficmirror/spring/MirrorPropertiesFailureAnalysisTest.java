package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** What a user reads when a {@code mirror.*} value is wrong: Spring Boot's failure analysis. */
@ExtendWith(OutputCaptureExtension.class)
class MirrorPropertiesFailureAnalysisTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(new String[] {"--mirror.percentage=150"},
                        "mirror.percentage", "must be between 0 and 100 (decimals allowed), was 150.0"),
                Arguments.of(new String[] {"--mirror.targets[0].percentage=-1"},
                        "mirror.targets[0].percentage", "must be between 0 and 100"),
                Arguments.of(new String[] {"--mirror.target=ftp://reviews-v2"},
                        "mirror.target", "must start with http:// or https://"),
                Arguments.of(new String[] {"--mirror.targets[0].url=http://user:secret@reviews-v2"},
                        "mirror.targets[0].url", "must not have a query, fragment or user info"),
                Arguments.of(new String[] {"--mirror.max-body-size=-1MB"},
                        "mirror.max-body-size", "must be a size of 0B or more (e.g. 512KB, 1MB), was -1048576B"),
                Arguments.of(new String[] {"--mirror.response-capture-limit=4GB"},
                        "mirror.response-capture-limit", "must be at most 2147483647B (just under 2GB)"),
                Arguments.of(new String[] {"--mirror.timeout=0s"},
                        "mirror.timeout", "must be a positive duration"),
                Arguments.of(new String[] {"--mirror.max-concurrent=0"},
                        "mirror.max-concurrent", "must be at least 1"),
                Arguments.of(new String[] {"--mirror.queue-capacity=-1"},
                        "mirror.queue-capacity", "must be 0 or more"),
                Arguments.of(new String[] {"--mirror.drain-timeout=-1s"},
                        "mirror.drain-timeout", "must be 0 or more"),
                Arguments.of(new String[] {"--mirror.targets[0].name=v2", "--mirror.targets[0].url=http://a",
                        "--mirror.targets[1].name=v2", "--mirror.targets[1].url=http://b"},
                        "mirror.targets[1].name", "two targets are named 'v2' (mirror.targets[0] and mirror.targets[1])"),
                Arguments.of(new String[] {"--mirror.target=http://reviews-v2:9080",
                        "--mirror.targets[0].url=http://reviews-v2:9080/other"},
                        "mirror.targets[0].url", "two targets are named 'reviews-v2:9080' (mirror.target and"),
                Arguments.of(new String[] {"--mirror.targets[0].name=v2"},
                        "mirror.targets[0].url", "is required: the http(s) base URL"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void shouldFailStartUpNamingThePropertyAndWhatItAccepts(String[] arguments, String property, String accepted,
            CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(PropertiesOnly.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF);

        assertThatThrownBy(() -> application.run(arguments)).isNotNull();

        assertThat(output).contains("APPLICATION FAILED TO START");
        assertThat(output).contains("Property: " + property + "\n").contains(accepted);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(MirrorProperties.class)
    static class PropertiesOnly {
    }
}
