/**
 * Helpers shared by the API's own classes and by this project's implementation modules.
 *
 * <p><strong>Internal: no compatibility promise.</strong> Applications and other implementations must not use these
 * classes; they may change or disappear in any release.
 */
package studio.lerian.streaming.internal;
