package studio.lerian.streaming.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in free text before it reaches an exception message, a log line or a DLQ header. Applies the Go
 * library's rules (spec section 10.5): URL user info, {@code Authorization} headers, {@code key=value} secrets and
 * AWS access key ids. Hand-written because no library we depend on offers this masking.
 */
public final class Sanitizer {

    /** The replacement for every masked credential. */
    public static final String MASK = "****";

    private static final Pattern URL = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s]+");
    private static final String URL_TRAILING = ".,;)]}\"'";

    private static final String AUTH_SCHEMES = "(?:basic|bearer|digest|negotiate|ntlm|token|aws4-hmac-sha256)";
    // "Authorization: Bearer xyz" keeps the scheme and masks the credential.
    private static final Pattern AUTH_HEADER = Pattern.compile(
            "(?i)\\b(authorization|auth)(\\s*:\\s*)(" + AUTH_SCHEMES + ")(\\s+)([^\\s,;&]+)");
    // "Authorization=Basic xyz" masks scheme and credential together; "auth=xyz" masks the value.
    private static final Pattern AUTH_ASSIGN = Pattern.compile(
            "(?i)\\b(authorization|auth)(\\s*=\\s*)(" + AUTH_SCHEMES + "\\s+[^\\s,;&]+|[^\\s,;&]+)");
    private static final Pattern SECRET_PAIR = Pattern.compile("(?i)\\b(password|passwd|pass|secret|client[_-]?secret"
            + "|token|bearer|api[_-]?key|aws[_-]?access[_-]?key[_-]?id|aws[_-]?secret[_-]?access[_-]?key"
            + "|aws[_-]?session[_-]?token|x-amz-security-token|x-amz-credential|x-amz-signature|awsaccesskeyid"
            + "|signature)(\\s*=\\s*)([^\\s,;&]+)");
    private static final Pattern AWS_KEY_ID = Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b");

    private Sanitizer() {
    }

    /**
     * Returns the text with credentials masked by {@value #MASK}.
     *
     * @param text any text; {@code null} gives {@code null}
     * @return the masked text
     */
    public static String sanitize(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = maskUrlUserInfo(text);
        out = AUTH_HEADER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + m.group(2) + m.group(3) + m.group(4) + MASK));
        out = AUTH_ASSIGN.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
        out = SECRET_PAIR.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
        out = AWS_KEY_ID.matcher(out).replaceAll(MASK);
        return out;
    }

    /**
     * A throwable's message with credentials masked; its class name when it has no (or a blank) message.
     *
     * @param failure the throwable; must not be {@code null}
     * @return the masked description
     */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getName() : sanitize(message);
    }

    private static String maskUrlUserInfo(String text) {
        Matcher m = URL.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int last = 0;
        do {
            String token = m.group();
            int end = token.length();
            while (end > 0 && URL_TRAILING.indexOf(token.charAt(end - 1)) >= 0) {
                end--;
            }
            sb.append(text, last, m.start()).append(maskToken(token.substring(0, end))).append(token, end,
                    token.length());
            last = m.end();
        } while (m.find());
        return sb.append(text, last, text.length()).toString();
    }

    private static String maskToken(String url) {
        int schemeEnd = url.indexOf("://") + 3;
        int authorityEnd = schemeEnd;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        int at = url.lastIndexOf('@', authorityEnd - 1);
        if (at < schemeEnd) {
            return url;
        }
        String userInfo = url.substring(schemeEnd, at);
        String masked = userInfo.indexOf(':') >= 0 ? MASK + ":" + MASK : MASK;
        return url.substring(0, schemeEnd) + masked + url.substring(at);
    }
}
