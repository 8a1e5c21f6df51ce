package dev.trafficmirror.replay;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.function.IntFunction;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** Real shadow servers on loopback for the replays to go to. */
final class Shadows {

    private Shadows() {
    }

    /** A shadow that answers {@code /products/{id}} with {@code answer.apply(id)} as JSON. */
    static MockWebServer start(IntFunction<MockResponse> answer) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String target = request.getTarget();
                String id = target.replaceAll("^/products/(\\d+).*$", "$1");
                return answer.apply(Integer.parseInt(id));
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    /** The same answer as the recorded primary's. */
    static MockResponse same(int product) {
        return json(200, Recordings.answer(product));
    }

    /** A new version: {@code stars} renamed {@code rating}, and a 500 for product 3. */
    static MockResponse differs(int product) {
        if (product == 3) {
            return json(500, "{\"error\":\"NullPointerException\"}");
        }
        return json(200, String.format(Locale.ROOT, "{\"product\":%d,\"rating\":%d,\"tags\":[\"a\",\"b\"]}", product,
                product % 5));
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }
}
