package dev.trafficmirror.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A reviews service in two versions: v2 renames each review's {@code rating} to {@code stars} and
 * adds {@code verified}. Both stamp every answer with the time and a random id: noise.
 */
final class ReviewsServlet extends HttpServlet {

    private static final String[] REVIEWERS = {"Reviewer1", "Reviewer2", "Reviewer3"};

    private final String version;

    ReviewsServlet(String version) {
        this.version = version;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] parts = request.getRequestURI().split("/");
        if (parts.length != 3 || !parts[1].equals("reviews") || !parts[2].matches("\\d{1,6}")) {
            response.sendError(404);
            return;
        }
        byte[] body = answer(version, Integer.parseInt(parts[2])).getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The answer of {@code version} for a product: the same every time, but for its time and id. */
    static String answer(String version, int product) {
        StringBuilder json = new StringBuilder("{\"id\":").append(product).append(",\"reviews\":[");
        for (int i = 0; i < 2; i++) {
            int rating = 1 + (product + i) % 5;
            json.append(i == 0 ? "" : ",").append("{\"reviewer\":\"").append(REVIEWERS[(product + i) % 3]).append("\",");
            json.append(version.equals("v2") ? "\"stars\":" + rating + ",\"verified\":true" : "\"rating\":" + rating);
            json.append(",\"text\":\"Review ").append(i + 1).append(" of product ").append(product).append("\"}");
        }
        return json.append("],\"generatedAt\":\"").append(Instant.now()).append("\",\"requestId\":\"")
                .append(UUID.randomUUID()).append("\"}").toString();
    }
}
