package studio.lerian.streaming.core.internal;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/** New event ids: UUIDv7 (time-ordered), lower-case, 36 characters, as the Go library assigns. Thread-safe. */
final class EventIds {

    private static final TimeBasedEpochGenerator V7 = Generators.timeBasedEpochGenerator();

    private EventIds() {
    }

    static String next() {
        return V7.generate().toString();
    }
}
