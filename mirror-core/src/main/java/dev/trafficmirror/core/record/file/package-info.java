/**
 * The built-in recorder of {@code file:} targets. Internal: not exported by the module.
 */
package dev.trafficmirror.core.record.file;
