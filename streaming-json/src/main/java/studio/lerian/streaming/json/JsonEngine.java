package studio.lerian.streaming.json;

/** A JSON library's mapper as the serializers use it; its implementations are the only classes naming the library. */
interface JsonEngine {

    /**
     * @param value the value
     * @return its JSON, UTF-8
     */
    byte[] toJson(Object value);

    /**
     * @param json UTF-8 JSON
     * @param type the type to read
     * @param <T> the type
     * @return the value
     */
    <T> T fromJson(byte[] json, Class<T> type);
}
