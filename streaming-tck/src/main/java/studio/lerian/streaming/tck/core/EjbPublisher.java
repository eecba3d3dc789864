package studio.lerian.streaming.tck.core;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;

/** A stateless session bean that publishes through an injected {@link Emitter}, inside its own transaction. */
@Stateless
public class EjbPublisher {

    @Inject
    Emitter emitter;

    /**
     * Publishes one event.
     *
     * @param request the event
     */
    public void publish(EmitRequest request) {
        emitter.emit(request);
    }
}
