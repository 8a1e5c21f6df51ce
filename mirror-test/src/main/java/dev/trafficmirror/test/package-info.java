/**
 * Helpers for testing an application's own mirroring, added with test scope (artifact
 * {@code mirror-test}): {@link dev.trafficmirror.test.RecordingSink} keeps copies in memory
 * instead of sending them.
 */
package dev.trafficmirror.test;
