/**
 * The porting SPI: what a runner implements so the TCK can run against its runtime and implementation.
 *
 * <p>For runner authors only; applications never use it.
 */
package studio.lerian.streaming.tck.spi;
