/**
 * Mirroring for any jakarta servlet 6 container: {@link dev.trafficmirror.servlet.MirrorFilter},
 * the only public type. The rest is how it works without changing the exchange: the request tee
 * ({@code TeeRequest}, {@code TeedBody}, {@code BodyTee}) that copies body bytes as the application
 * reads them, the head snapshot ({@code RequestHeads}), multipart bodies rebuilt from their parts
 * ({@code MultipartBody}), the primary's answer captured for comparison ({@code CaptureResponse})
 * and asynchronous requests ({@code TeeAsyncContext}, {@code AsyncBodies}).
 *
 * <p>In the flow (<b>filter</b>, <b>snapshot</b>, decide, lane, send, compare) these are the first
 * steps; it hands the snapshot to {@code dev.trafficmirror.core} through
 * {@code dev.trafficmirror.core.integration}.
 */
package dev.trafficmirror.servlet;
