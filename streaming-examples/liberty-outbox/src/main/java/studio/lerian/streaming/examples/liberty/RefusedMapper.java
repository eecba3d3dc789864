package studio.lerian.streaming.examples.liberty;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A refused payment: 400. The {@code @Transactional} method it came from has rolled back. */
@Provider
public class RefusedMapper implements ExceptionMapper<Payments.Refused> {

    @Override
    public Response toResponse(Payments.Refused e) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(new Problem(e.getMessage() + "; the payment and its event were rolled back")).build();
    }
}
