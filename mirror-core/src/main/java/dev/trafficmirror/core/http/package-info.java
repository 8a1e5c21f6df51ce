/**
 * The HTTP wire code, not part of the API (the module does not export it): the one place that
 * decides what a copy may carry ({@code WireSyntax}), spells it as an HTTP/1.1 request
 * ({@code RequestWriter}), reads the shadow's answer ({@code ResponseReader}) and sends copies,
 * from one non-blocking I/O thread for plain HTTP ({@code ShadowIo}) or through OkHttp on sender
 * threads ({@code HttpShadowSink}).
 *
 * <p>In the flow (filter, snapshot, decide, lane, <b>send</b>, compare) it is the send step: a
 * target's lane in {@code dev.trafficmirror.core} hands it copies and is told how each one settled.
 */
package dev.trafficmirror.core.http;
