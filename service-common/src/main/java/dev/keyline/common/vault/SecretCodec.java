package dev.keyline.common.vault;

import java.util.Map;
import java.util.function.Function;

/** Turns a service's secret record into the field map of one KV v2 version and back. */
public interface SecretCodec<T> {

    Map<String, Object> encode(T value);

    T decode(Map<String, Object> data);

    static <T> SecretCodec<T> of(Function<T, Map<String, Object>> encode, Function<Map<String, Object>, T> decode) {
        return new SecretCodec<>() {
            @Override
            public Map<String, Object> encode(T value) {
                return encode.apply(value);
            }

            @Override
            public T decode(Map<String, Object> data) {
                return decode.apply(data);
            }
        };
    }

    /**
     * Puts {@code value} unless it is null or empty: optional fields (a passphrase, a CA certificate)
     * are left out of the version rather than stored empty, so a read gives null for them.
     */
    static void putIfPresent(Map<String, Object> data, String field, String value) {
        if (value != null && !value.isEmpty()) {
            data.put(field, value);
        }
    }
}
