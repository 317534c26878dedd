package dev.smlocal.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The dispatcher binds a request through one kept reader per input type instead of
 * {@code treeToValue}: for every operation's input type and any JSON object made of its members
 * (right and wrong types, nulls, nesting, unknown members), both give the same request or both
 * refuse it, so a request is accepted or turned into {@code SerializationException} as before.
 */
class CachedReaderPropertyTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<Class<?>> INPUTS;

    static {
        try (Emulator e = Emulator.builder().config(EmulatorConfig.defaults().withQuiet(true)).create()) {
            INPUTS = e.operations().all().stream().<Class<?>>map(Operation::input).distinct().toList();
        }
    }

    record Case(Class<?> type, JsonNode input) {
        @Override
        public String toString() {
            return type.getSimpleName() + " " + input;
        }
    }

    @Property(tries = 1000)
    void theKeptReaderBindsAsTreeToValueDoes(@ForAll("cases") Case c) {
        String viaTree;
        String viaReader;
        try {
            viaTree = Json.MAPPER.valueToTree(Json.MAPPER.treeToValue(c.input(), c.type())).toString();
        } catch (Exception e) {
            viaTree = "refused";
        }
        try {
            viaReader = Json.MAPPER.valueToTree(AwsJsonDispatcher.readerFor(c.type()).readValue(c.input())).toString();
        } catch (Exception e) {
            viaReader = "refused";
        }
        assertEquals(viaTree, viaReader);
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(INPUTS).flatMap(type -> {
            List<String> names = Json.MAPPER.getDeserializationConfig()
                    .introspect(Json.MAPPER.constructType(type)).findProperties().stream()
                    .map(p -> p.getName()).toList();
            Arbitrary<String> name = names.isEmpty()
                    ? Arbitraries.strings().alpha().ofLength(4)
                    : Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, Arbitraries.of(names)),
                            net.jqwik.api.Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)));
            Arbitrary<JsonNode> member = Combinators.combine(name, value(2)).as((n, v) -> {
                ObjectNode o = F.objectNode();
                o.set(n, v);
                return o;
            });
            return member.list().ofMaxSize(6).map(parts -> {
                ObjectNode o = F.objectNode();
                parts.forEach(p -> o.setAll((ObjectNode) p));
                return new Case(type, o);
            });
        });
    }

    private static Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(F::textNode),
                Arbitraries.of("AWSCURRENT", "2026-01-01T00:00:00Z", "dGVzdA==", "true", "7", "").map(F::textNode),
                Arbitraries.integers().map(F::numberNode),
                Arbitraries.longs().map(F::numberNode),
                Arbitraries.doubles().map(F::numberNode),
                Arbitraries.of(true, false).map(F::booleanNode),
                Arbitraries.just(F.nullNode()));
        if (depth == 0) return scalar;
        Arbitrary<JsonNode> array = value(depth - 1).list().ofMaxSize(3).map(l -> {
            ArrayNode a = F.arrayNode();
            l.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Combinators.combine(Arbitraries.of("Key", "Value", "Name", "Values", "x"), value(depth - 1))
                .as((k, v) -> (JsonNode) F.objectNode().set(k, v));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, scalar), net.jqwik.api.Tuple.of(2, array),
                net.jqwik.api.Tuple.of(2, object));
    }
}
