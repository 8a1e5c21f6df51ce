/** A Spring Boot application mirrored by properties alone: the README's Spring Boot quick start, runnable. */
package dev.trafficmirror.examples.spring;
