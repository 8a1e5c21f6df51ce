package dev.trafficmirror.core;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A sink whose answer can be changed while a test runs, and that counts the copies it was given. */
final class ScriptedSink implements MirrorSink {

    /** What the sink does with one copy. */
    @FunctionalInterface
    interface Behaviour {
        ShadowResponse answer(MirrorTarget target, MirrorRequest request) throws IOException;
    }

    private final AtomicInteger calls = new AtomicInteger();
    private final List<Long> calledAt = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour;

    ScriptedSink(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    void become(Behaviour next) {
        this.behaviour = next;
    }

    int calls() {
        return calls.get();
    }

    /** When the {@code n}th copy (from 1) reached the sink, by {@link System#nanoTime()}. */
    long calledAt(int n) {
        return calledAt.get(n - 1);
    }

    @Override
    public ShadowResponse send(MirrorTarget target, MirrorRequest request) throws IOException {
        calledAt.add(System.nanoTime());
        calls.incrementAndGet();
        return behaviour.answer(target, request);
    }

    static ShadowResponse ok(MirrorTarget target, MirrorRequest request) {
        return ShadowResponse.of(200);
    }

    static ShadowResponse refused(MirrorTarget target, MirrorRequest request) throws IOException {
        throw new java.net.ConnectException("Connection refused");
    }
}
