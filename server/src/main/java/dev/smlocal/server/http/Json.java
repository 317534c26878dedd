package dev.smlocal.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The awsJson1.1 mapping: members in UpperCamelCase, absent values omitted (never {@code null}),
 * blobs as base64, timestamps as epoch seconds with millisecond fraction ({@code 1523477145.729}).
 * A JSON {@code null} in a request counts as absent, also as a list element or map value.
 */
public final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = build();

    /**
     * Epoch milliseconds as seconds with three decimals, as {@code BigDecimal.valueOf(millis, 3)}
     * prints them ({@code 1523477145.729}, {@code -1.500}), without a BigDecimal per timestamp: a
     * ListSecrets page writes several hundred.
     */
    static String epochSeconds(long millis) {
        long abs = Math.abs(millis);
        long frac = abs % 1000;
        StringBuilder sb = new StringBuilder(24);
        if (millis < 0) sb.append('-');
        sb.append(abs / 1000).append('.');
        if (frac < 100) sb.append('0');
        if (frac < 10) sb.append('0');
        return sb.append(frac).toString();
    }

    private static ObjectMapper build() {
        SimpleModule time = new SimpleModule("aws-epoch-seconds");
        time.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeNumber(epochSeconds(v.toEpochMilli()));
            }
        });
        time.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_NUMBER_INT && p.currentToken() != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw c.wrongTokenException(p, Instant.class, JsonToken.VALUE_NUMBER_FLOAT, "epoch seconds expected");
                }
                BigDecimal seconds = p.getDecimalValue();
                return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
            }
        });
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // JSON null counts as absent, inside lists and maps too: [null] reaches no service as a null element
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.SKIP))
                .addModule(time)
                .build();
    }
}
