/**
 * The porting SPI: what a runner implements so the TCK can run against its runtime and implementation.
 *
 * <p>Two interfaces: {@link studio.lerian.streaming.tck.spi.TckPorting} on the client side (the broker, and what goes
 * into each deployment), and {@link studio.lerian.streaming.tck.spi.TckOutbox} inside the deployment (read access to
 * the outbox table), which only an implementation with an outbox provides.
 *
 * <p>For runner authors only; applications never use it.
 */
package studio.lerian.streaming.tck.spi;
