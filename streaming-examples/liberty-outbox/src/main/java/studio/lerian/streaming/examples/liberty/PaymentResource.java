package studio.lerian.streaming.examples.liberty;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * {@code POST /payments} captures a payment (and emits {@code payment.captured} in the same transaction);
 * {@code POST /payments?failAfterEmit=true} emits, then fails: the payment and its outbox row roll back together.
 * {@code GET /payments/{id}} reads one back. Errors become JSON answers in the exception mappers.
 */
@Path("/payments")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class PaymentResource {

    @Inject
    Payments payments;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response capture(PaymentRequest request, @QueryParam("failAfterEmit") @DefaultValue("false") boolean fail) {
        if (request == null) {
            throw new Payments.Refused("a JSON body is required");
        }
        Payment p = payments.capture(request, fail);
        return Response.created(URI.create("/payments/" + p.getId())).entity(p).build();
    }

    @GET
    @Path("/{id}")
    public Payment find(@PathParam("id") String id) {
        Payment p = payments.find(id);
        if (p == null) {
            throw new NotFoundException("no payment " + id);
        }
        return p;
    }
}
