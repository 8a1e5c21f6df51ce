package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.Mirror;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** What start-up says about mirroring: what a mirror does, and why nothing is mirrored when nothing is. */
@ExtendWith(OutputCaptureExtension.class)
class MirrorStartUpTest {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MirrorPropertiesAutoConfiguration.class, MirrorAutoConfiguration.class));

    @Test
    void shouldSayInOneLineWhatTheMirrorDoes(CapturedOutput output) {
        web.withPropertyValues("mirror.targets[0].name=v2", "mirror.targets[0].url=http://reviews-v2:9080",
                        "mirror.targets[0].compare=true", "mirror.targets[1].name=v3",
                        "mirror.targets[1].url=http://reviews-v3:9080", "mirror.targets[1].percentage=1",
                        "mirror.max-body-size=64KB")
                .run(context -> assertThat(context).hasSingleBean(Mirror.class));

        assertThat(output).containsOnlyOnce("Mirror 'default' mirrors to v2=http://reviews-v2:9080 at 100.0% (compared),"
                + " v3=http://reviews-v3:9080 at 1.0%; request bodies up to 65536 bytes; trace context unsampled");
    }

    @Test
    void shouldSayThatNothingIsMirroredWhenPropertiesAreSetWithoutATarget(CapturedOutput output) {
        web.withPropertyValues("mirror.percentage=10").run(context -> assertThat(context).doesNotHaveBean(Mirror.class));

        assertThat(output).containsOnlyOnce("mirror.* properties are set, but no target is set: nothing is mirrored."
                + " Set mirror.target (or mirror.targets[0].url)");
    }

    @Test
    void shouldAnswerAtTheEndpointWhyNothingIsMirroredRatherThanNotFound() {
        web.withConfiguration(AutoConfigurations.of(UnconfiguredMirrorEndpointAutoConfiguration.class))
                .withPropertyValues("mirror.percentage=10", "management.endpoints.web.exposure.include=mirror")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(MirrorEndpoint.class);
                    assertThat(context.getBean(UnconfiguredMirrorEndpoint.class).mirror())
                            .containsEntry("configured", false).containsEntry("reason", "no target is set")
                            .containsEntry("action", "Set mirror.target (or mirror.targets[0].url) to the shadow's"
                                    + " base URL, e.g. http://reviews-v2:9080.");
                });
        web.withConfiguration(AutoConfigurations.of(UnconfiguredMirrorEndpointAutoConfiguration.class))
                .withPropertyValues("mirror.target=http://reviews-v2:9080", "mirror.enabled=false",
                        "management.endpoints.web.exposure.include=mirror")
                .run(context -> assertThat(context.getBean(UnconfiguredMirrorEndpoint.class).mirror())
                        .containsEntry("reason", "mirroring is off (mirror.enabled=false)"));
        web.withConfiguration(AutoConfigurations.of(UnconfiguredMirrorEndpointAutoConfiguration.class,
                MirrorEndpointAutoConfiguration.class))
                .withPropertyValues("mirror.target=http://reviews-v2:9080", "management.endpoints.web.exposure.include=mirror")
                .run(context -> {
                    assertThat(context).hasSingleBean(MirrorEndpoint.class);
                    assertThat(context).doesNotHaveBean(UnconfiguredMirrorEndpoint.class);
                });
    }

    @Test
    void shouldSayThatMirroringIsOffWhenDisabled(CapturedOutput output) {
        web.withPropertyValues("mirror.target=http://reviews-v2:9080", "mirror.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(Mirror.class));

        assertThat(output).contains("Mirroring is off (mirror.enabled=false)");
    }

    @Test
    void shouldSayNothingWhenNothingIsAsked(CapturedOutput output) {
        web.run(context -> assertThat(context).doesNotHaveBean(Mirror.class));

        assertThat(output).doesNotContain("nothing is mirrored", "Mirroring is off");
    }

    @Test
    void shouldFailOnAMisspeltKeyEvenWhenItLeavesMirroringOff() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MirrorPropertiesAutoConfiguration.class))
                .withPropertyValues("mirror.tagret=http://reviews-v2:9080")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasRootCauseInstanceOf(UnknownMirrorProperties.class)
                        .rootCause().hasMessageContaining("mirror.tagret"));
    }

    @Test
    void shouldKnowEveryPropertyInEveryRelaxedForm() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MirrorPropertiesAutoConfiguration.class))
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("environment", Map.of("MIRROR_EXCLUDE_PATHS", "/admin/**",
                                "MIRROR_TARGETS_0_URL", "http://v2", "MIRROR_TARGETS_0_SAMPLING_STRATEGY", "counter",
                                "MIRROR_HEADERS_SET_X_ENV", "shadow", "MIRROR_CIRCUIT_BREAKER_COOL_DOWN", "5s"))))
                .withPropertyValues("mirror.maxBodySize=2MB", "mirror.headers.add.[X-Env]=shadow",
                        "mirror.compare.ignore_paths=$.at")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void shouldSuggestTheNearestProperty() {
        assertThat(UnknownMirrorProperties.nearest("mirror.precentage")).isEqualTo("mirror.percentage");
        assertThat(UnknownMirrorProperties.nearest("mirror.targets[3].ulr")).isEqualTo("mirror.targets[3].url");
        assertThat(UnknownMirrorProperties.nearest("mirror.circuit-breaker.cooldown"))
                .isEqualTo("mirror.circuit-breaker.cool-down");
        assertThat(UnknownMirrorProperties.nearest("mirror.header.remove")).isEqualTo("mirror.headers.remove");
        assertThat(UnknownMirrorProperties.nearest("mirror.targets[0].sampling.stratgy"))
                .isEqualTo("mirror.targets[0].sampling.strategy");
    }
}
