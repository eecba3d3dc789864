/**
 * The contract every implementation of lib-streaming keeps, and what applications program against: {@code Emitter},
 * requests, the catalog, policies and errors ({@code studio.lerian.streaming}), the service provider interfaces
 * ({@code .spi}), the test doubles ({@code .testing}), and the wire rules ({@code .wire}: topics, headers, the outbox
 * envelope, which the outbox SPI carries and which consumers read records by). The code the modules share
 * ({@code .internal}) is exported to the implementation modules only.
 */
module studio.lerian.streaming.api {
    exports studio.lerian.streaming;
    exports studio.lerian.streaming.spi;
    exports studio.lerian.streaming.testing;
    exports studio.lerian.streaming.wire;

    exports studio.lerian.streaming.internal to
            studio.lerian.streaming.kafka,
            studio.lerian.streaming.core,
            studio.lerian.streaming.cdi,
            studio.lerian.streaming.outbox.jpa,
            studio.lerian.streaming.json;

    uses studio.lerian.streaming.spi.PayloadSerializer;
}
