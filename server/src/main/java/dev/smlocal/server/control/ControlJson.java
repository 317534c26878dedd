package dev.smlocal.server.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * The one JSON mapping of the control API. The admin routes render the {@link EmulatorControl}
 * records with it and {@link HttpEmulatorControl} reads them back with it, so the wire form is
 * defined once: instants and durations as ISO-8601 text, absent values left out.
 */
public final class ControlJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("smlocal-control")
                    .addSerializer(Instant.class, new ToStringSerializer(Instant.class))
                    .addSerializer(Duration.class, new ToStringSerializer(Duration.class))
                    .addDeserializer(Instant.class, fromText(Instant::parse))
                    .addDeserializer(Duration.class, fromText(Duration::parse)))
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            // a newer server may add fields; a client reads what it knows
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ControlJson() {}

    private static <T> JsonDeserializer<T> fromText(Function<String, T> parse) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return parse.apply(p.getValueAsString());
            }
        };
    }
}
