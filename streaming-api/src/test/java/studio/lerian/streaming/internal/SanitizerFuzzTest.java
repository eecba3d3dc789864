package studio.lerian.streaming.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * No password survives the sanitizer: a password embedded in a URL's user info or in a {@code key=value} pair, within
 * any surrounding text, is masked. Seeds under {@code SanitizerFuzzTestInputs} run in every build; {@code -Pfuzz}
 * explores.
 */
class SanitizerFuzzTest {

    private static final List<String> SCHEMES = List.of("http", "https", "sasl_ssl", "postgresql", "jdbc:postgresql",
            "kafka", "amqp", "s3", "x");
    private static final List<String> KEYS = List.of("password", "passwd", "pass", "secret", "client_secret",
            "client-secret", "token", "api_key", "apikey", "aws_secret_access_key", "PASSWORD", "Password");

    @FuzzTest(maxDuration = "60s")
    void noEmbeddedPasswordSurvives(FuzzedDataProvider data) {
        // The password: letters and digits only, long enough not to appear by chance in the masked text.
        String password = "Pw" + data.consumeAsciiString(40).replaceAll("[^A-Za-z0-9]", "") + "9z";
        String user = data.consumeAsciiString(12).replaceAll("[^A-Za-z0-9._-]", "");
        String host = data.consumeAsciiString(20).replaceAll("[^A-Za-z0-9.-]", "") + ".example";
        boolean inUrl = data.consumeBoolean();
        String before = data.consumeString(60);
        String after = data.consumeRemainingAsString();
        if (before.contains(password) || after.contains(password) || user.contains(password)
                || host.contains(password)) {
            return; // the password also stands where no rule looks for one (free text, a user or host name)
        }
        String secret = inUrl
                ? data.pickValue(SCHEMES) + "://" + user + ":" + password + "@" + host + ":9092/path"
                : data.pickValue(KEYS) + "=" + password;
        String text = before + " " + secret + " " + after;
        String masked = Sanitizer.sanitize(text);
        assertFalse(masked.contains(password), () -> "password survived in: " + masked);
    }
}
