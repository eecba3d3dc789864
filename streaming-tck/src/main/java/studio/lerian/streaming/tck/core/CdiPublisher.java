package studio.lerian.streaming.tck.core;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;

/** An application-scoped CDI bean that publishes through an injected {@link Emitter}. */
@ApplicationScoped
public class CdiPublisher {

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
