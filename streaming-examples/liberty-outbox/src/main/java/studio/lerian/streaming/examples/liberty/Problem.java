package studio.lerian.streaming.examples.liberty;

/**
 * The body of every error answer, written by JSON-B.
 *
 * @param error what went wrong, and what became of the request's data
 */
public record Problem(String error) {
}
