package studio.lerian.streaming.core.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A self-signed CA certificate (EC P-256, valid for a century) shipped as a test resource, for TLS settings. */
public final class TestCertificates {

    private static final String RESOURCE = "/tls/test-ca.pem";

    private TestCertificates() {
    }

    /** @return the certificate's PEM text */
    public static String selfSignedPem() {
        try (InputStream in = TestCertificates.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
