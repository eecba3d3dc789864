/**
 * Service provider interfaces: what applications and libraries implement so that an emitter can find their
 * definitions (and, with the outbox module, their storage).
 *
 * <p>For implementers. Applications that only emit events do not need this package.
 */
package studio.lerian.streaming.spi;
