package com.example.reviews;

import java.time.Instant;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** An application that knows nothing of mirroring: application.properties turns it on. */
@SpringBootApplication
@RestController
public class ReviewsApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReviewsApplication.class, args);
    }

    @GetMapping("/reviews/{id}")
    Map<String, Object> review(@PathVariable int id) {
        return Map.of("product", id, "text", "An extremely entertaining play by Shakespeare.",
                "servedAt", Instant.now().toString());
    }
}
