/**
 * The {@link studio.lerian.streaming.spi.PayloadSerializer}s this module registers: JSON-B first, Jackson otherwise.
 * Applications do not call them: {@link studio.lerian.streaming.EmitRequest.Builder#payload(Object)} finds the one to
 * use.
 */
package studio.lerian.streaming.json;
