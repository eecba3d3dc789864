/**
 * The user API: inject an {@link studio.lerian.streaming.Emitter}, declare
 * {@link studio.lerian.streaming.EventDefinition}s in a {@link studio.lerian.streaming.Catalog}, emit
 * {@link studio.lerian.streaming.EmitRequest}s, and tell caller errors from infrastructure faults with
 * {@link studio.lerian.streaming.StreamingErrors#isCallerError(Throwable)}.
 *
 * <p>For applications. Stable: changes follow semantic versioning.
 */
package studio.lerian.streaming;
