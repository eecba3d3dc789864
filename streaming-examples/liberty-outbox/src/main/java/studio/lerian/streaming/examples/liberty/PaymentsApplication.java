package studio.lerian.streaming.examples.liberty;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST resources, at the root of the application (whose context root is {@code /}). */
@ApplicationPath("/")
public class PaymentsApplication extends Application {
}
