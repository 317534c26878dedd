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

    public static final ObjectMapper MAPPER = build(true);

    /**
     * {@code value} as JSON, as {@code MAPPER.writeValueAsBytes} writes it, through one output buffer
     * per thread that is kept between calls (up to {@link #KEPT_BUFFER} bytes), so a large answer
     * (a 24 KB ListSecrets page) does not grow a new chain of blocks each time; the result is a
     * fresh array of the exact size.
     */
    public static byte[] bytes(Object value) throws com.fasterxml.jackson.core.JsonProcessingException {
        Out out = OUT.get();
        out.reset();
        try {
            MAPPER.writeValue(out, value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw e;
        } catch (IOException impossible) { // an in-memory stream does not fail
            throw new IllegalStateException(impossible);
        }
        byte[] b = out.toByteArray();
        out.trim();
        return b;
    }

    /** The largest output buffer a thread keeps between answers. */
    static final int KEPT_BUFFER = 256 * 1024;

    private static final ThreadLocal<Out> OUT = ThreadLocal.withInitial(Out::new);

    private static final class Out extends java.io.ByteArrayOutputStream {
        Out() {
            super(8192);
        }

        void trim() {
            if (buf.length > KEPT_BUFFER) buf = new byte[8192];
        }
    }

    /**
     * The same mapping with Jackson's bean serializer for every answer (no {@link AnswerWriters}):
     * the reference the hand-written writers are held to ({@code AnswerWritersTest}).
     */
    static ObjectMapper beanMapper() {
        return build(false);
    }

    /**
     * Epoch milliseconds as seconds with three decimals, as {@code BigDecimal.valueOf(millis, 3)}
     * prints them ({@code 1523477145.729}, {@code -1.500}), without a BigDecimal per timestamp: a
     * ListSecrets page writes several hundred.
     */
    static String epochSeconds(long millis) {
        char[] digits = new char[EPOCH_CHARS];
        int start = epochSeconds(millis, digits);
        return new String(digits, start, EPOCH_CHARS - start);
    }

    /** Room for any epoch millisecond value as seconds: sign, 16 digits, point, 3 decimals. */
    static final int EPOCH_CHARS = 24;

    /** Writes {@link #epochSeconds(long)} right-aligned into {@code out}; returns where it starts. */
    static int epochSeconds(long millis, char[] out) {
        long abs = millis < 0 ? -millis : millis; // Long.MIN_VALUE stays negative: read unsigned below
        int i = out.length;
        long frac = Long.remainderUnsigned(abs, 1000);
        for (int d = 0; d < 3; d++) {
            out[--i] = (char) ('0' + frac % 10);
            frac /= 10;
        }
        out[--i] = '.';
        long whole = Long.divideUnsigned(abs, 1000);
        do {
            out[--i] = (char) ('0' + whole % 10);
            whole /= 10;
        } while (whole > 0);
        if (millis < 0) out[--i] = '-';
        return i;
    }

    private static ObjectMapper build(boolean answerWriters) {
        SimpleModule time = new SimpleModule("aws-epoch-seconds");
        time.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                char[] digits = new char[EPOCH_CHARS];
                int start = epochSeconds(v.toEpochMilli(), digits);
                g.writeNumber(digits, start, EPOCH_CHARS - start);
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
        JsonMapper.Builder b = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // JSON null counts as absent, inside lists and maps too: [null] reaches no service as a null element
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.SKIP))
                .addModule(time);
        if (answerWriters) b.addModule(AnswerWriters.module());
        return b.build();
    }
}
