/**
 * For integrations such as mirror-servlet's {@code MirrorFilter}: the hooks a container
 * integration needs and an application does not. {@link dev.trafficmirror.core.integration.MirrorIntegration}
 * (from {@code Mirror.integration()}) decides on a request's head before its body is read and
 * returns a {@link dev.trafficmirror.core.integration.PendingMirror}, which the integration completes
 * with the body and the primary's status once the application has answered; a
 * {@link dev.trafficmirror.core.integration.PrimaryResponse} carries the primary's captured answer
 * to the comparison.
 *
 * <p>In the flow (<b>filter</b>, <b>snapshot</b>, decide, lane, send, compare) these are the
 * seams between a container's request and the mirror.
 */
package dev.trafficmirror.core.integration;
