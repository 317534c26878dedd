package dev.smlocal.server.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.smlocal.server.aws.RequestContext;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The records of {@link KmsApi} against {@code kms-service-2.json}: each is a model shape, each
 * property (as Jackson names it with UpperCamelCase) is a member of the right type, and every
 * required member exists.
 */
class KmsApiModelTest {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new SimpleModule().addSerializer(Instant.class, new JsonSerializer<>() {
                @Override
                public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                    gen.writeNumber(BigDecimal.valueOf(value.toEpochMilli(), 3));
                }
            }))
            .build();
    private static JsonNode shapes;

    @BeforeAll
    static void loadModel() throws IOException {
        try (InputStream in = KmsApiModelTest.class.getResourceAsStream("/aws-model/kms-service-2.json")) {
            assertNotNull(in, "model on the classpath");
            shapes = MAPPER.readTree(in).get("shapes");
        }
    }

    @Test
    void everyRecordMatchesItsModelShape() {
        Class<?>[] records = KmsApi.class.getDeclaredClasses();
        assertTrue(records.length > 30);
        for (Class<?> c : records) {
            JsonNode shape = shapes.get(c.getSimpleName());
            assertNotNull(shape, "no model shape " + c.getSimpleName());
            JsonNode members = shape.get("members");
            List<BeanPropertyDefinition> props =
                    MAPPER.getSerializationConfig().introspect(MAPPER.constructType(c)).findProperties();
            assertEquals(c.getRecordComponents().length, props.size(), c.getSimpleName());
            Set<String> names = new HashSet<>();
            for (BeanPropertyDefinition p : props) {
                String where = c.getSimpleName() + "." + p.getName();
                JsonNode member = members.get(p.getName());
                assertNotNull(member, where + " is not a model member");
                String type = shapes.get(member.get("shape").asText()).get("type").asText();
                assertEquals(type, modelType(p.getRawPrimaryType()), where);
                names.add(p.getName());
            }
            for (JsonNode required : shape.path("required")) {
                assertTrue(names.contains(required.asText()), c.getSimpleName() + " lacks required " + required.asText());
            }
        }
    }

    private static String modelType(Class<?> t) {
        if (t == String.class || t.isEnum()) return "string";
        if (t == Instant.class) return "timestamp";
        if (t == byte[].class) return "blob";
        if (t == Boolean.class) return "boolean";
        if (t == Integer.class) return "integer";
        if (List.class.isAssignableFrom(t)) return "list";
        if (Map.class.isAssignableFrom(t)) return "map";
        if (t.isRecord()) return "structure";
        return t.getName();
    }

    @Test
    void keyMetadataOnTheWire() throws IOException {
        EmulatedKms kms = new EmulatedKms(dev.smlocal.server.time.EmulatorClock.manual(Instant.parse("2024-03-01T12:00:00.250Z")));
        RequestContext ctx = new RequestContext("111122223333", "us-east-1", "r");
        KmsApi.KeyMetadata m = kms.createKey(ctx, new KmsApi.CreateKeyRequest(null, null, null, null, null, null, null,
                null, null, true, null)).keyMetadata();
        JsonNode json = MAPPER.readTree(MAPPER.writeValueAsString(new KmsApi.DescribeKeyResponse(m)));
        JsonNode meta = json.get("KeyMetadata");
        assertEquals("111122223333", meta.get("AWSAccountId").asText());
        assertEquals(m.keyId(), meta.get("KeyId").asText());
        assertEquals(1709294400.25, meta.get("CreationDate").asDouble());
        assertEquals("Enabled", meta.get("KeyState").asText());
        assertTrue(meta.get("MultiRegion").asBoolean());
        assertEquals("PRIMARY", meta.get("MultiRegionConfiguration").get("MultiRegionKeyType").asText());
        assertEquals("us-east-1", meta.get("MultiRegionConfiguration").get("PrimaryKey").get("Region").asText());
        assertFalse(meta.has("DeletionDate"), "nulls omitted");
        assertEquals("SYMMETRIC_DEFAULT", meta.get("EncryptionAlgorithms").get(0).asText());
    }

    @Test
    void requestsFromTheWire() throws IOException {
        KmsApi.EncryptRequest req = MAPPER.readValue("{\"KeyId\":\"alias/app\",\"Plaintext\":\"aGVsbG8=\","
                + "\"EncryptionContext\":{\"a\":\"b\"}}", KmsApi.EncryptRequest.class);
        assertEquals("alias/app", req.keyId());
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), req.plaintext());
        assertEquals(Map.of("a", "b"), req.encryptionContext());
        KmsApi.ReplicateKeyRequest rep = MAPPER.readValue("{\"KeyId\":\"mrk-1\",\"ReplicaRegion\":\"eu-west-1\","
                + "\"Tags\":[{\"TagKey\":\"k\",\"TagValue\":\"v\"}]}", KmsApi.ReplicateKeyRequest.class);
        assertEquals(List.of(new KmsApi.Tag("k", "v")), rep.tags());
        assertEquals("eu-west-1", rep.replicaRegion());
    }
}
