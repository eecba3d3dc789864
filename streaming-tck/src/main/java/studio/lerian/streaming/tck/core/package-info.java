/**
 * Core TCK tests (tag {@code core}): injection, validation and the record on the wire.
 *
 * <p>Every implementation passes these.
 */
package studio.lerian.streaming.tck.core;
