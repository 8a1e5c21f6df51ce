package dev.trafficmirror.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trafficmirror.core.integration.MirrorIntegration;
import dev.trafficmirror.core.integration.PendingMirror;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MirrorIntegration#begin(Function, Supplier)}: with the default sampling and no condition, the targets
 * sample before the head is snapshotted, and a request none of them takes is never looked at.
 */
class SampleFirstTest {

    private static final MirrorRequest INVALID = MirrorRequest.builder("GET", "/a/../admin").build();
    private static final MirrorRequest VALID = MirrorRequest.builder("GET", "/reviews/7").header("Accept", "*/*").build();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicInteger snapshots = new AtomicInteger();
    private Mirror mirror;

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close(Duration.ofSeconds(1));
        }
    }

    private Mirror mirror(MirrorTarget... targets) {
        Mirror.Builder builder = Mirror.builder().meterRegistry(registry).sink(new ScriptedSink(ScriptedSink::ok));
        for (MirrorTarget target : targets) {
            builder.target(target);
        }
        mirror = builder.build();
        return mirror;
    }

    private PendingMirror begin(MirrorRequest head) {
        return mirror.integration().begin(head::header, () -> {
            snapshots.incrementAndGet();
            return head;
        });
    }

    private double count(String target, Reason reason) {
        return Meters.count(registry, target, reason);
    }

    @Test
    void shouldNeitherSnapshotNorExamineARequestNoTargetSamples() {
        mirror(MirrorTarget.of("v2", "http://v2").percentage(0), MirrorTarget.of("v3", "http://v3").percentage(0));

        assertThat(begin(VALID)).isNull();
        assertThat(begin(INVALID)).isNull();

        assertThat(snapshots).hasValue(0);
        assertThat(count("v2", Reason.SAMPLED_OUT)).isEqualTo(2);
        assertThat(count("v3", Reason.SAMPLED_OUT)).isEqualTo(2);
        assertThat(count("v2", Reason.INVALID_REQUEST)).as("never looked at").isZero();
    }

    @Test
    void shouldExamineTheHeadOnceATargetSamplesTheRequest() {
        mirror(MirrorTarget.of("v2", "http://v2"), MirrorTarget.of("v3", "http://v3").percentage(0));

        assertThat(begin(INVALID)).isNull();
        PendingMirror pending = begin(VALID);

        assertThat(snapshots).hasValue(2);
        assertThat(count("v2", Reason.INVALID_REQUEST)).isEqualTo(1);
        assertThat(count("v3", Reason.INVALID_REQUEST)).as("as before: the request is refused for every target").isEqualTo(1);
        assertThat(pending).isNotNull();
        assertThat(count("v3", Reason.SAMPLED_OUT)).as("its own sample kept, not drawn again").isEqualTo(1);
        pending.skip(Reason.BODY_TOO_LARGE);
        assertThat(count("v2", Reason.BODY_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void shouldStillCountALoopAndAPauseBeforeSampling() {
        mirror(MirrorTarget.of("v2", "http://v2").percentage(0));
        MirrorRequest looped = MirrorRequest.builder("GET", "/reviews/7").header("x-mirror-id", "abc").build();

        assertThat(begin(looped)).isNull();
        mirror.setEnabled(false);
        assertThat(begin(VALID)).isNull();

        assertThat(snapshots).hasValue(0);
        assertThat(count("v2", Reason.LOOP)).isEqualTo(1);
        assertThat(count("v2", Reason.DISABLED)).isEqualTo(1);
        assertThat(count("v2", Reason.SAMPLED_OUT)).isZero();
    }

    @Test
    void shouldLookAtTheHeadFirstWhenATargetHasAConditionOrStickySampling() {
        mirror(MirrorTarget.of("v2", "http://v2").percentage(0).condition(Conditions.requestTo("/api/**")),
                MirrorTarget.of("v3", "http://v3").percentage(0).sampling(Sampling.stickyByHeader("X-User")));

        assertThat(begin(INVALID)).isNull();
        assertThat(begin(VALID)).isNull();

        assertThat(snapshots).hasValue(2);
        assertThat(count("v2", Reason.INVALID_REQUEST)).isEqualTo(1);
        assertThat(count("v2", Reason.EXCLUDED)).isEqualTo(1);
        assertThat(count("v3", Reason.SAMPLED_OUT)).isEqualTo(1);
    }

    @Test
    void shouldKeepTheCounterExactWhenItSamplesFirst() {
        mirror(MirrorTarget.of("v2", "http://v2").percentage(10).sampling(Sampling.counter()));

        int taken = 0;
        for (int i = 0; i < 1000; i++) {
            PendingMirror pending = begin(VALID);
            if (pending != null) {
                taken++;
                pending.skip(Reason.BODY_TOO_LARGE);
            }
        }

        assertThat(taken).isEqualTo(100);
        assertThat(snapshots).as("one snapshot per request taken").hasValue(100);
        assertThat(count("v2", Reason.SAMPLED_OUT)).isEqualTo(900);
    }

    @Test
    void shouldCountARequestWhoseHeadCannotBeReadAsAnError() {
        mirror(MirrorTarget.of("v2", "http://v2"));

        PendingMirror pending = mirror.integration().begin(name -> null, () -> {
            throw new IllegalStateException("the container lost the request");
        });

        assertThat(pending).isNull();
        assertThat(count("v2", Reason.ERROR)).isEqualTo(1);
        assertThat(Meters.total(registry, "v2")).as("counted once").isEqualTo(1);
    }
}
