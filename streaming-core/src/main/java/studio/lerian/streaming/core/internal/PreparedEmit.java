package studio.lerian.streaming.core.internal;

import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * A request that passed every check: its definition, its resolved policy and the event with defaults applied.
 *
 * @param definition the catalog definition
 * @param policy the resolved delivery policy (enabled, with a delivery path)
 * @param event the event to frame
 */
record PreparedEmit(EventDefinition definition, DeliveryPolicy policy, ResolvedEvent event) {
}
