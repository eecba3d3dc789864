/**
 * Helpers of the TCK's tests: deployments built on the client side, and the broker as seen from inside a deployment.
 *
 * <p>Part of the TCK; runners and implementations do not need them.
 */
package studio.lerian.streaming.tck.support;
