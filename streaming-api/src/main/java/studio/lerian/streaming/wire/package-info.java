/**
 * The wire contract shared with the Go library and every implementation: topic names, partition keys, the resolved
 * event, {@code ce-time} formatting and header names.
 *
 * <p>For implementers of {@code streaming-api} and for consumers that read the records. Changing anything here changes
 * what Go and Java services see on their shared topics.
 */
package studio.lerian.streaming.wire;
