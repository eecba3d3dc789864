package studio.lerian.streaming.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LanesTest {

    @Test
    void keyHashIsTheIeeeCrc32OfTheUtf8Key() {
        // Vectors computed independently (zlib.crc32, Go's crc32.ChecksumIEEE give the same values).
        assertEquals(1380802081L, Lanes.keyHash("t-abc"));
        assertEquals(0L, Lanes.keyHash(""));
        assertEquals(1247496908L, Lanes.keyHash("tenant-42"));
        assertEquals(3687074026L, Lanes.keyHash("\u00fcn\u00ef"));
    }

    @Test
    void laneIsTheHashModuloTheLaneCount() {
        assertEquals(33, Lanes.lane(Lanes.keyHash("t-abc"), 256));
        assertEquals(204, Lanes.lane(Lanes.keyHash("tenant-42"), 256));
        assertEquals(234, Lanes.lane(Lanes.keyHash("\u00fcn\u00ef"), 256));
        assertEquals(0, Lanes.lane(0xFFFF_FFFFL, 1));
        assertEquals(4095, Lanes.lane(0xFFFF_FFFFL, 4096));
    }

    @Test
    void refusesLaneCountsAndHashesOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> Lanes.lane(1, 0));
        assertThrows(IllegalArgumentException.class, () -> Lanes.lane(1, Lanes.MAX_LANES + 1));
        assertThrows(IllegalArgumentException.class, () -> Lanes.lane(-1, 8));
        assertThrows(IllegalArgumentException.class, () -> Lanes.lane(0x1_0000_0000L, 8));
    }
}
