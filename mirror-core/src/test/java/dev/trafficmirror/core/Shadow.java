package dev.trafficmirror.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A real shadow on loopback (MockWebServer) that answers every copy with 200. */
public final class Shadow implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();

    public Shadow() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).body("shadow").build();
            }
        });
        server.start(0);
    }

    /** The shadow's URL with this path, e.g. {@code url("/v2")}. */
    public String url(String path) {
        return server.url(path).toString();
    }

    public String hostAndPort() {
        return server.getHostName() + ":" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    /** The next copy received, failing if none comes within 5 s. */
    public RecordedRequest take() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("the shadow received no copy within 5 s");
        }
        return request;
    }

    /** Exactly {@code count} copies, in arrival order. */
    public List<RecordedRequest> take(int count) throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(take());
        }
        return requests;
    }

    /** How many copies arrived so far. */
    public int received() {
        return server.getRequestCount();
    }

    @Override
    public void close() {
        server.close();
    }
}
