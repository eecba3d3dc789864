/**
 * What the TCK runners share to port the TCK to a runtime with the reference implementation (streaming-cdi with
 * streaming-jpa-outbox): the one Kafka broker of the run, and the implementation's jars and outbox added to every
 * deployment. Each runner registers its own subclass of
 * {@link studio.lerian.streaming.tck.runners.support.ReferencePorting}.
 */
package studio.lerian.streaming.tck.runners.support;
