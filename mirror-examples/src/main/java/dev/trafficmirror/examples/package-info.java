/**
 * Runnable examples: the reviews demo ({@link dev.trafficmirror.examples.ReviewsDemo}, v1 released
 * and mirrored to v2 under load, with a summary and an HTML report), and
 * {@link dev.trafficmirror.examples.PlainServletExample}, the README's plain-servlet quick start.
 */
package dev.trafficmirror.examples;
