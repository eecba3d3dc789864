package studio.lerian.streaming.examples.liberty;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;

/**
 * An event the library did not accept: nothing was saved (the transaction rolled back). A request to fix (an invalid
 * tenant, a payload that is not JSON) is the client's fault, 400; anything else (the broker unreachable and no outbox
 * to park in) is worth retrying, 503.
 */
@Provider
public class StreamingExceptionMapper implements ExceptionMapper<StreamingException> {

    @Override
    public Response toResponse(StreamingException e) {
        Response.Status status = StreamingErrors.isCallerError(e)
                ? Response.Status.BAD_REQUEST : Response.Status.SERVICE_UNAVAILABLE;
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new Problem("event not accepted, nothing was saved: " + e.getMessage())).build();
    }
}
