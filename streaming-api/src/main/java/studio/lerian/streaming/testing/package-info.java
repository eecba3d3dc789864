/**
 * Test doubles for applications' unit tests: {@link studio.lerian.streaming.testing.MockEmitter} and
 * {@link studio.lerian.streaming.testing.StreamingAssertions}.
 *
 * <p>For application tests. Ships in the API jar so that tests need no extra dependency.
 */
package studio.lerian.streaming.testing;
