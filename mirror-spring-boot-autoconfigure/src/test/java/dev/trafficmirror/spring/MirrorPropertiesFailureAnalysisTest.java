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
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** What a user reads when a {@code mirror.*} value is wrong: Spring Boot's failure analysis. */
@ExtendWith(OutputCaptureExtension.class)
class MirrorPropertiesFailureAnalysisTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(new String[] {"--mirror.precentage=10"},
                        "mirror.precentage", "Did you mean mirror.percentage?"),
                Arguments.of(new String[] {"--mirror.tagret=http://reviews-v2:9080"},
                        "mirror.tagret", "Did you mean mirror.target?"),
                Arguments.of(new String[] {"--mirror.targets[1].ulr=http://reviews-v2:9080"},
                        "mirror.targets[1].ulr", "Did you mean mirror.targets[1].url?"),
                Arguments.of(new String[] {"--mirror.compare.ignore-path=$.at"},
                        "mirror.compare.ignore-path", "Did you mean mirror.compare.ignore-paths?"),
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
                Arguments.of(new String[] {"--mirror.circuit-breaker.failures=0"},
                        "mirror.circuit-breaker.failures", "must be at least 1 (consecutive failed copies), was 0"),
                Arguments.of(new String[] {"--mirror.circuit-breaker.cool-down=0s"},
                        "mirror.circuit-breaker.cool-down", "must be a positive duration (e.g. 500ms, 2s), was PT0S"),
                Arguments.of(new String[] {"--mirror.circuit-breaker.cool-down=-10s"},
                        "mirror.circuit-breaker.cool-down", "must be a positive duration (e.g. 500ms, 2s), was PT-10S"),
                Arguments.of(new String[] {"--mirror.targets[0].name=v2", "--mirror.targets[0].url=http://a",
                        "--mirror.targets[1].name=v2", "--mirror.targets[1].url=http://b"},
                        "mirror.targets[1].name", "two targets are named 'v2' (mirror.targets[0] and mirror.targets[1])"),
                Arguments.of(new String[] {"--mirror.target=http://reviews-v2:9080",
                        "--mirror.targets[0].url=http://reviews-v2:9080/other"},
                        "mirror.targets[0].url", "two targets are named 'reviews-v2:9080' (mirror.target and"),
                Arguments.of(new String[] {"--mirror.targets[0].name=v2"},
                        "mirror.targets[0].url", "is required: the http(s) base URL"),
                Arguments.of(new String[] {"--mirror.include-paths=/api/**,api/v2/**"},
                        "mirror.include-paths", "path pattern 'api/v2/**' must start with /; accepts Ant-style path"
                                + " patterns starting with /"),
                Arguments.of(new String[] {"--mirror.exclude-paths=/api/admin**"},
                        "mirror.exclude-paths", "** must be a whole segment; accepts Ant-style path patterns"),
                Arguments.of(new String[] {"--mirror.exclude-paths=/pay/{id:\\d+}/capture"},
                        "mirror.exclude-paths", "path pattern '/pay/{id:\\d+}/capture': {id:\\d+} is a regular"
                                + " expression, which path patterns do not support; use {id} for any one segment"),
                Arguments.of(new String[] {"--mirror.include-paths=/pay/{id/capture"},
                        "mirror.include-paths", "path pattern '/pay/{id/capture' has an unbalanced brace"),
                Arguments.of(new String[] {"--mirror.targets[0].url=http://a", "--mirror.targets[0].exclude-paths=admin"},
                        "mirror.targets[0].exclude-paths", "path pattern 'admin' must start with /"),
                Arguments.of(new String[] {"--mirror.methods=GET,GTE"},
                        "mirror.methods", "'GTE' is not an HTTP method; accepts GET, HEAD, POST, PUT, PATCH, DELETE,"),
                Arguments.of(new String[] {"--mirror.targets[0].url=http://a", "--mirror.targets[0].methods=FETCH"},
                        "mirror.targets[0].methods", "'FETCH' is not an HTTP method; accepts GET"),
                Arguments.of(new String[] {"--mirror.headers.host=original"},
                        "mirror.headers.host", "The following values are valid:\n\n    LITERAL\n    PRESERVE\n    SUFFIX\n    TARGET"),
                Arguments.of(new String[] {"--mirror.headers.host=literal"},
                        "mirror.headers.host-value", "is required with mirror.headers.host=literal: the Host to send"),
                Arguments.of(new String[] {"--mirror.headers.host=literal", "--mirror.headers.host-value=a b"},
                        "mirror.headers.host-value", "must be a host name or IP literal with an optional port"),
                Arguments.of(new String[] {"--mirror.headers.host=suffix", "--mirror.headers.host-value=.shadow/x"},
                        "mirror.headers.host-value", "must be letters, digits, '.', '-', '_' or '~' (e.g. -shadow)"),
                Arguments.of(new String[] {"--mirror.headers.host-value=-shadow"},
                        "mirror.headers.host-value", "applies only with mirror.headers.host=literal or suffix, but host"
                                + " is not set"),
                Arguments.of(new String[] {"--mirror.targets[0].url=http://a", "--mirror.targets[0].headers.host=suffix"},
                        "mirror.targets[0].headers.host-value", "is required with mirror.targets[0].headers.host=suffix"),
                Arguments.of(new String[] {"--mirror.headers.set.Host=shadow"},
                        "mirror.headers.set.host", "the Host is not set with header rules: choose it with 'headers.host'"),
                Arguments.of(new String[] {"--mirror.headers.remove=Content-Length"},
                        "mirror.headers.remove", "'Content-Length' is set by the mirror itself"),
                Arguments.of(new String[] {"--mirror.headers.add.[X-Note]=caf\u00e9"},
                        "mirror.headers.add[X-Note]", "the value of 'X-Note' must be printable ASCII"),
                Arguments.of(new String[] {"--mirror.sampling.strategy=sticky"},
                        "mirror.sampling.strategy", "sticky sampling needs a key: set one of mirror.sampling.header,"
                                + " mirror.sampling.cookie or mirror.sampling.query-parameter"),
                Arguments.of(new String[] {"--mirror.sampling.strategy=sometimes"},
                        "mirror.sampling.strategy", "The following values are valid:\n\n    COUNTER\n    RANDOM\n    STICKY"),
                Arguments.of(new String[] {"--mirror.sampling.cookie=SESSION"},
                        "mirror.sampling.cookie", "is the key of sticky sampling, but mirror.sampling.strategy is"
                                + " random: set mirror.sampling.strategy=sticky"),
                Arguments.of(new String[] {"--mirror.sampling.strategy=sticky", "--mirror.sampling.header=X-User",
                        "--mirror.sampling.cookie=SESSION"},
                        "mirror.sampling.cookie", "sticky sampling takes one key, but header and cookie are set"),
                Arguments.of(new String[] {"--mirror.sampling.header=X User"},
                        "mirror.sampling.header", "must be a header name, e.g. X-User-Id, was 'X User'"),
                Arguments.of(new String[] {"--mirror.targets[0].url=http://a", "--mirror.targets[0].sampling.strategy=sticky"},
                        "mirror.targets[0].sampling.strategy", "sticky sampling needs a key: set one of"
                                + " mirror.targets[0].sampling.header"),
                Arguments.of(new String[] {"--mirror.primary-status=2xx,20x"},
                        "mirror.primary-status", "'20x' is not a primary status; accepts status classes (2xx), codes"
                                + " (404) and ranges (200-399) from 100 to 599"),
                Arguments.of(new String[] {"--mirror.targets[0].url=http://a", "--mirror.targets[0].primary-status=299-200"},
                        "mirror.targets[0].primary-status", "'299-200' is not a primary status"),
                Arguments.of(new String[] {"--mirror.targets[0].url=http://a", "--mirror.targets[0].primary-status=600"},
                        "mirror.targets[0].primary-status", "'600' is not a primary status"),
                Arguments.of(new String[] {"--mirror.compare.ignore-paths=$.generatedAt,items[*].id"},
                        "mirror.compare.ignore-paths", "JSON path 'items[*].id' must start with $; accepts JSON paths"
                                + " such as $.field, $.list[2].field, $.list[*].field (every element)"),
                Arguments.of(new String[] {"--mirror.compare.ignore-paths=$..", "--mirror.compare.enabled=true"},
                        "mirror.compare.ignore-paths", "JSON path '$..' ends with '..'; name what to look for below it"),
                Arguments.of(new String[] {"--mirror.compare.unordered-arrays=$.tags[x]"},
                        "mirror.compare.unordered-arrays", "JSON path '$.tags[x]' has [x]; use [2], [*] or ['key']; accepts"),
                Arguments.of(new String[] {"--mirror.compare.ignore-headers=X Backend"},
                        "mirror.compare.ignore-headers", "must be a response header name, e.g. X-Backend, was 'X Backend'"),
                Arguments.of(new String[] {"--mirror.compare.recent-mismatches=-1"},
                        "mirror.compare.recent-mismatches", "must be 0 or more (0 keeps none), was -1"),
                Arguments.of(new String[] {"--mirror.compare.max-decoded-body-size=3GB"},
                        "mirror.compare.max-decoded-body-size", "must be at most 2147483647B (just under 2GB)"),
                Arguments.of(new String[] {"--mirror.compare.noise.minimum-samples=0"},
                        "mirror.compare.noise.minimum-samples", "must be at least 1 (control comparisons per endpoint)"),
                Arguments.of(new String[] {"--mirror.compare.noise.relative-threshold=120"},
                        "mirror.compare.noise.relative-threshold", "must be between 0 and 100 (percent), was 120.0"),
                Arguments.of(new String[] {"--mirror.compare.log-interval=-1s"},
                        "mirror.compare.log-interval", "must be 0 or more (e.g. 10s, 1m; 0 logs every mismatch), was PT-1S"),
                Arguments.of(new String[] {"--mirror.targets[0].url=http://a", "--mirror.targets[0].ssl.bundle=shadow"},
                        "mirror.targets[0].ssl.bundle", "applies to https targets only, but mirror.targets[0].url is"
                                + " http://a: remove mirror.targets[0].ssl.bundle, or use https"),
                Arguments.of(new String[] {"--mirror.target=http://a", "--mirror.targets[0].url=http://b",
                        "--mirror.ssl.bundle=shadow"},
                        "mirror.ssl.bundle", "applies to https targets, but no target is https"),
                Arguments.of(new String[] {"--mirror.targets[0].url=http://a", "--mirror.targets[0].control=true",
                        "--mirror.targets[0].compare=false"},
                        "mirror.targets[0].compare", "is false, but mirror.targets[0].control is true: the control's"
                                + " answers are always compared"),
                Arguments.of(new String[] {"--mirror.targets[0].url=http://a", "--mirror.targets[0].control=true",
                        "--mirror.targets[1].url=http://b", "--mirror.targets[1].compare=true",
                        "--mirror.targets[2].url=http://c", "--mirror.targets[2].control=true"},
                        "mirror.targets[2].control", "at most one target may be the control, but mirror.targets[0] and"
                                + " mirror.targets[2] are"));
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

    /** The properties, as every application with the library binds them, whether it mirrors or not. */
    @Configuration(proxyBeanMethods = false)
    @Import(MirrorPropertiesAutoConfiguration.class)
    static class PropertiesOnly {
    }
}
