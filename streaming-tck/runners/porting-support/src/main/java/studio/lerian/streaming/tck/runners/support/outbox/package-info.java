/**
 * The reference outbox in a TCK deployment: the classes the porting adds to every deployment (the persistence unit's
 * producer, the table's creation, the TCK's outbox reader) and the choice of the server datasource that holds it.
 */
package studio.lerian.streaming.tck.runners.support.outbox;
