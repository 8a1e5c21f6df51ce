package dev.trafficmirror.core;

import java.util.Set;
import java.util.stream.Collectors;

/** The live threads of this JVM, for tests that check nothing is left behind. */
public final class Threads {

    private Threads() {
    }

    /**
     * Live threads, without OkHttp's JVM-wide daemons ("OkHttp TaskRunner", "Okio Watchdog"): every
     * OkHttp client in the JVM shares them, there are at most a few, and they end after 60 s idle.
     */
    public static Set<Thread> live() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith("OkHttp ") && !t.getName().startsWith("Okio "))
                .collect(Collectors.toSet());
    }

    /** Threads alive now that were not alive in {@code before}. */
    public static Set<String> startedSince(Set<Thread> before) {
        return live().stream().filter(t -> !before.contains(t)).map(Thread::getName).collect(Collectors.toSet());
    }
}
