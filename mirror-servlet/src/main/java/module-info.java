/**
 * Mirroring for any jakarta servlet 6 container: exports {@code MirrorFilter}'s package, whose
 * other types are package-private.
 */
module dev.trafficmirror.servlet {
    requires transitive dev.trafficmirror.core;
    requires transitive jakarta.servlet;
    requires org.slf4j;

    exports dev.trafficmirror.servlet;
}
