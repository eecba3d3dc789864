/**
 * The technology compatibility kit of lib-streaming: tests that prove a runtime or an implementation compliant.
 *
 * <p>For platform teams and implementers who run the TCK against their runtime.
 */
package studio.lerian.streaming.tck;
