package studio.lerian.streaming.examples.liberty;

import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;

/**
 * {@code POST /payments} captures a payment (and emits {@code payment.captured} in the same transaction);
 * {@code POST /payments?failAfterEmit=true} emits, then fails: the payment and its outbox row roll back together.
 * {@code GET /payments/{id}} reads one back.
 */
@Path("/payments")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentResource {

    @Inject
    Payments payments;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response capture(PaymentRequest request, @QueryParam("failAfterEmit") @DefaultValue("false") boolean fail) {
        if (request == null) {
            return error(Response.Status.BAD_REQUEST, "a JSON body is required");
        }
        try {
            Payment p = payments.capture(request, fail);
            return Response.created(URI.create("/payments/" + p.getId())).entity(p.toJson()).build();
        } catch (Payments.Refused e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage() + "; the payment and its event were rolled back");
        } catch (EJBException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof StreamingException se) {
                Response.Status status = StreamingErrors.isCallerError(se)
                        ? Response.Status.BAD_REQUEST : Response.Status.SERVICE_UNAVAILABLE;
                return error(status, "event not accepted, nothing was saved: " + se.getMessage());
            }
            throw e;
        }
    }

    @GET
    @Path("/{id}")
    public Response find(@PathParam("id") String id) {
        Payment p = payments.find(id);
        return p == null ? error(Response.Status.NOT_FOUND, "no payment " + id) : Response.ok(p.toJson()).build();
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity("{\"error\":\"" + Json.escape(message) + "\"}").build();
    }
}
