package dev.trafficmirror.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A correctly configured application starts without a warning: none of the library's, and none of
 * Spring Boot's about what the library uses (a deprecated property, a bean post-processed too early).
 * Runs on Spring Boot 3.5 and, from mirror-spring-boot4-tests, 4.1.
 */
@ExtendWith(OutputCaptureExtension.class)
class MirrorQuietStartApplicationTest {

    private final MockWebServer shadow = new MockWebServer();
    private ConfigurableApplicationContext application;

    @BeforeEach
    void startShadow() throws Exception {
        shadow.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        if (application != null) {
            application.close();
        }
        shadow.close();
    }

    @Test
    void shouldStartWithoutAWarning(CapturedOutput output) {
        application = new SpringApplicationBuilder(MirrorSpringBootApplicationTest.ReviewsApp.class)
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "management.endpoints.web.exposure.include=health,metrics,mirror",
                        "mirror.target=http://127.0.0.1:" + shadow.getPort(), "mirror.percentage=50",
                        "mirror.compare.enabled=true")
                .run();

        assertThat(output.getAll()).as("the start-up log").contains("Mirror 'default'")
                .doesNotContain(" WARN ", "deprecat", "Deprecat");
    }
}
