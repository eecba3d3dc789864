package studio.lerian.streaming.core.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    /**
     * The operating system picks a bound-to-zero port at random from its ephemeral range, so a port released before the
     * next is picked comes back now and then (about one pair in 14,000 here): enough picks make that certain, while
     * ports held together can never repeat within one call.
     */
    @Test
    void portsOfOneCallAreAlwaysDistinct() {
        for (int i = 0; i < 20_000; i++) {
            int[] ports = FreePorts.pick(4);
            assertEquals(4, Arrays.stream(ports).distinct().count(),
                    () -> "same port twice: " + Arrays.toString(ports));
        }
    }
}
