package studio.lerian.streaming.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's demo keeps working: the whole story, smaller, ends with nothing lost and order kept. */
class QuickstartTest {

    @Test
    void theStoryEndsWithNothingLostAndEveryMerchantsOrderKept() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        boolean ok = new Quickstart(new PrintStream(printed, true, StandardCharsets.UTF_8), 2, 20).run();
        String story = printed.toString(StandardCharsets.UTF_8);
        assertTrue(ok, story);
        assertTrue(story.contains("circuit breaker open"), story);
        assertTrue(story.contains("outbox drained"), story);
        assertTrue(story.contains("RESULT: nothing lost, every merchant's order kept."), story);
    }
}
