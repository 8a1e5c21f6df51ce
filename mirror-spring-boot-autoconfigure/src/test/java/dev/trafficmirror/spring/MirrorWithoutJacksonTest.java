package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trafficmirror.core.Mirror;
import dev.trafficmirror.core.compare.JsonComparison;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Runs in its own Surefire execution with Jackson taken off the class path (see the POM), as an
 * application without a JSON library has it: a comparing mirror starts with one warning saying what
 * comparison loses and what to add, and the properties only a JSON diff can honour fail start-up,
 * each named.
 */
@ExtendWith(OutputCaptureExtension.class)
class MirrorWithoutJacksonTest {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MirrorAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void shouldRunWithoutJackson() {
        assertThatThrownBy(() -> Class.forName("com.fasterxml.jackson.core.JsonFactory"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("tools.jackson.core.json.JsonFactory"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void shouldCompareWholeBodiesAndSaySoOnceAtStartUp(CapturedOutput output) {
        web.withPropertyValues("mirror.target=http://reviews-v2:9080", "mirror.compare.enabled=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Mirror.class).comparisons().json()).isEqualTo(JsonComparison.WHOLE_BODIES);
        });

        assertThat(output.getAll().lines().filter(line -> line.contains("WARN"))).singleElement().asString()
                .contains("Mirror 'default' compares the answers of [reviews-v2:9080], but neither Jackson 3", 
                        "as whole bodies", "add tools.jackson.core:jackson-databind (Jackson 3)");
    }

    @Test
    void shouldSayNothingOfJacksonWhenNothingCompares(CapturedOutput output) {
        web.withPropertyValues("mirror.target=http://reviews-v2:9080", "mirror.compare.ignore-paths=$.at")
                .run(context -> assertThat(context).hasNotFailed());

        assertThat(output).doesNotContain("Jackson");
    }

    @Test
    void shouldFailStartUpNamingTheJsonPropertiesItCannotApply() {
        web.withPropertyValues("mirror.targets[0].url=http://reviews-v2:9080", "mirror.targets[0].control=true",
                "mirror.compare.ignore-paths=$.generatedAt", "mirror.compare.unordered-arrays=$.tags")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("mirror.compare.ignore-paths")
                        .hasStackTraceContaining("mirror.compare.unordered-arrays")
                        .hasStackTraceContaining("cannot apply: neither Jackson 3 (tools.jackson.core) nor Jackson 2"));
    }
}
