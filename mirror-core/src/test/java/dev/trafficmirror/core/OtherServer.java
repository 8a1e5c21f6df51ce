package dev.trafficmirror.core;

/**
 * The server hostile requests try to reach instead of the target: one real shadow on loopback for
 * the whole test run, so its address can appear in parameterized test data.
 */
final class OtherServer {

    static final Shadow INSTANCE = start();
    static final int PORT = INSTANCE.port();

    private OtherServer() {
    }

    private static Shadow start() {
        try {
            return new Shadow();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
