package studio.lerian.streaming.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import studio.lerian.streaming.support.Golden;

class SanitizerTest {

    static Stream<Arguments> g13() {
        return Golden.rows("g13-sanitizer.tsv", 2).stream().map(r -> Arguments.of(r[0], r[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("g13")
    void masksCredentialsAsTheGoLibraryDoes(String input, String expected) {
        assertEquals(expected, Sanitizer.sanitize(input));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("g13")
    void maskingAMaskedTextChangesNothing(String input, String expected) {
        assertEquals(expected, Sanitizer.sanitize(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "secret=abc token=def|secret=**** token=****",
        "client_secret=s1&api-key=k2;apikey=k3|client_secret=****&api-key=****;apikey=****",
        "AWS_SECRET_ACCESS_KEY=wJalr x-amz-signature=beef|AWS_SECRET_ACCESS_KEY=**** x-amz-signature=****",
        "PASSWORD = hunter2|PASSWORD = ****",
        "auth=xyz and Auth: Basic dXNlcg==|auth=**** and Auth: Basic ****",
        "temporary key ASIAIOSFODNN7EXAMPLE used|temporary key **** used",
        "see https://example.com/path?q=a@b.c for details|see https://example.com/path?q=a@b.c for details",
        "(postgres://app:p@ss@db:5432/x)|(postgres://****:****@db:5432/x)",
        "two urls kafka://a:b@h1 and sasl://c@h2|two urls kafka://****:****@h1 and sasl://****@h2",
    })
    void masksTheOtherCredentialShapesOfTheGoRules(String input, String expected) {
        assertEquals(expected, Sanitizer.sanitize(input));
    }

    @Test
    void nullAndEmptyAreReturnedAsGiven() {
        assertNull(Sanitizer.sanitize(null));
        assertEquals("", Sanitizer.sanitize(""));
    }
}
