package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Id lists take one of a few fixed sizes, so a statement has a few texts, not one per list length. */
class IdListTest {

    private static List<String> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> "id-" + i).toList();
    }

    private static int size(String placeholders) {
        return placeholders.split(",").length;
    }

    @Test
    void aListTakesTheSmallestSizeThatHoldsItFromEightToFiveHundredTwelve() {
        assertEquals(8, size(IdList.placeholders(ids(1))));
        assertEquals(8, size(IdList.placeholders(ids(8))));
        assertEquals(16, size(IdList.placeholders(ids(9))));
        assertEquals(256, size(IdList.placeholders(ids(200))));
        assertEquals(512, size(IdList.placeholders(ids(512))));
        assertEquals("(:id0, :id1, :id2, :id3, :id4, :id5, :id6, :id7)", IdList.placeholders(ids(3)));
        assertEquals("(?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", IdList.positional(ids(3), 4));
        assertThrows(IllegalArgumentException.class, () -> IdList.placeholders(ids(513)));
        assertThrows(IllegalArgumentException.class, () -> IdList.placeholders(List.of()));
    }

    @Test
    void longerListsAreCutIntoChunksOfTheLargestSize() {
        List<List<String>> chunks = IdList.chunks(ids(1100));
        assertEquals(List.of(512, 512, 76), chunks.stream().map(List::size).toList());
        assertEquals(ids(1100), chunks.stream().flatMap(List::stream).toList());
    }
}
