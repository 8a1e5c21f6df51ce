package dev.trafficmirror.examples.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application mirrored to a shadow with properties only: the
 * {@code mirror-spring-boot-autoconfigure} dependency plus {@code mirror.target} in
 * {@code application.properties}. There is no mirroring code here at all.
 *
 * <pre>
 * ./mvnw -pl mirror-examples-spring-boot -am -DskipTests package exec:java
 * </pre>
 */
@SpringBootApplication
@RestController
public class ReviewsApplication {

    private final List<String> reviews = new CopyOnWriteArrayList<>();

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(ReviewsApplication.class, args);
    }

    /** Stores a review. */
    @PostMapping("/reviews/{productId}")
    @ResponseStatus(HttpStatus.CREATED)
    public String store(@PathVariable int productId, @RequestBody String review) {
        reviews.add(productId + " " + review);
        return "stored " + review;
    }

    /** Lists the stored reviews. */
    @GetMapping("/reviews")
    public List<String> list() {
        return reviews;
    }
}
