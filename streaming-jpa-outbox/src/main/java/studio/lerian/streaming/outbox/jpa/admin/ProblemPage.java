package studio.lerian.streaming.outbox.jpa.admin;

import java.util.List;

/**
 * One page of {@link OutboxAdmin#problems}: rows in {@code seq} order, and where the next page starts.
 *
 * @param rows the rows, at most the query's limit
 * @param nextAfterSeq the cursor of the next page ({@link ProblemQuery.Builder#afterSeq}), or {@code null} when this
 *        page is the last
 */
public record ProblemPage(List<ProblemRow> rows, Long nextAfterSeq) {

    /** Copies the rows. */
    public ProblemPage {
        rows = List.copyOf(rows);
    }
}
