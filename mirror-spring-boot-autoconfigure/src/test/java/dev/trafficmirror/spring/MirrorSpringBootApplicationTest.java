package dev.trafficmirror.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A real Spring Boot application on Tomcat mirroring to a real shadow. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = MirrorSpringBootApplicationTest.ReviewsApp.class)
class MirrorSpringBootApplicationTest {

    static final MockWebServer shadow = new MockWebServer();

    @DynamicPropertySource
    static void mirrorToShadow(DynamicPropertyRegistry properties) throws IOException {
        shadow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).build();
            }
        });
        shadow.start(0);
        properties.add("mirror.target", () -> shadow.url("/").toString());
    }

    @AfterAll
    static void stopShadow() {
        shadow.close();
    }

    @Autowired
    TestRestTemplate rest;

    @Test
    void shouldMirrorAJsonPost() throws Exception {
        ResponseEntity<String> response = rest.postForEntity("/reviews?product=7", "{\"stars\":5}", String.class);

        assertThat(response.getBody()).isEqualTo("saved {\"stars\":5}");
        RecordedRequest copy = shadow.takeRequest(10, TimeUnit.SECONDS);
        assertThat(copy).isNotNull();
        assertThat(copy.getTarget()).isEqualTo("/reviews?product=7");
        assertThat(copy.getBody().utf8()).isEqualTo("{\"stars\":5}");
        assertThat(copy.getHeaders().get("X-Mirror-Id")).isNotBlank();
    }

    @SpringBootApplication
    @RestController
    static class ReviewsApp {
        @PostMapping("/reviews")
        String save(@RequestBody String review) {
            return "saved " + review;
        }
    }
}
