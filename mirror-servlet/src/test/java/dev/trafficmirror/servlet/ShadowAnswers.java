package dev.trafficmirror.servlet;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** How a MockWebServer shadow answers copies (its own default dispatcher never answers). */
final class ShadowAnswers {

    private ShadowAnswers() {
    }

    /** Answers every copy with what {@code answer} makes of it. */
    static Dispatcher answering(Function<RecordedRequest, MockResponse> answer) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        };
    }

    /** Answers every copy with 200 and the body {@code shadow}. */
    static Dispatcher ok() {
        return answering(request -> new MockResponse.Builder().code(200).body("shadow").build());
    }

    /**
     * Counts {@code arrived} down when a copy comes in, then holds it until {@code release} is
     * counted down (or {@code maxSeconds} pass) before answering 200.
     */
    static Dispatcher holding(CountDownLatch arrived, CountDownLatch release, long maxSeconds) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                arrived.countDown();
                release.await(maxSeconds, TimeUnit.SECONDS);
                return new MockResponse.Builder().code(200).build();
            }
        };
    }
}
