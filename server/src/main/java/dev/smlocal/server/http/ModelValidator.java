package dev.smlocal.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.Errors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks an awsJson1.1 request against the botocore service model the way an AWS (Coral) service
 * does before the operation runs.
 *
 * <ol>
 *   <li>A member whose JSON type does not fit its shape (or a body that is not an object) fails
 *       at once with a {@code SerializationException}: AWS fails while deserializing, before it
 *       validates anything.</li>
 *   <li>Otherwise every constraint violation (required, length, range, enum, pattern) is collected
 *       in member-declaration order and reported as one {@code ValidationException}, worded as
 *       AWS words it: {@code Value 'x' at 'path' failed to satisfy constraint: ...}.</li>
 * </ol>
 *
 * Unknown members are ignored and JSON {@code null} counts as absent. A member whose shape is
 * sensitive (or contains a sensitive shape) never has its value printed. The model is compiled
 * once into a tree of shape checkers; a request is validated in one pass without building any
 * string unless a constraint fails.
 */
public final class ModelValidator {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ConcurrentHashMap<String, ModelValidator> LOADED = new ConcurrentHashMap<>();
    private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();

    // violated-constraint bits; the order of the bits is the order AWS reports them for one value
    private static final int ENUM = 1;
    private static final int PATTERN = 1 << 1;
    private static final int MIN_LENGTH = 1 << 2;
    private static final int MAX_LENGTH = 1 << 3;
    private static final int MIN_VALUE = 1 << 4;
    private static final int MAX_VALUE = 1 << 5;
    private static final int BITS = 6;

    private final String targetPrefix;
    private final Map<String, StructureShape> inputs;
    private final Set<String> operations;

    private ModelValidator(String targetPrefix, Map<String, StructureShape> inputs) {
        this.targetPrefix = targetPrefix;
        this.inputs = inputs;
        this.operations = Collections.unmodifiableSet(inputs.keySet());
    }

    /** The validator for a service model on the classpath, e.g. {@code /aws-model/kms-service-2.json}; parsed once. */
    public static ModelValidator load(String classpathResource) {
        return LOADED.computeIfAbsent(classpathResource, ModelValidator::parse);
    }

    /** Every operation the model names, in model order. */
    public Set<String> operations() {
        return operations;
    }

    /** The model's {@code targetPrefix}, e.g. {@code secretsmanager} or {@code TrentService}. */
    public String targetPrefix() {
        return targetPrefix;
    }

    /**
     * Validates {@code input} (the parsed request body; Java {@code null} or a missing node counts as
     * {@code {}}) against {@code operation}'s input shape.
     *
     * @throws AwsException SerializationException for a JSON type mismatch, ValidationException
     *     listing every constraint violation, UnknownOperationException for an operation the model
     *     does not name
     */
    public void validate(String operation, JsonNode input) {
        StructureShape shape = inputs.get(operation);
        if (shape == null && !inputs.containsKey(operation)) {
            throw Errors.unknownOperation(targetPrefix + "." + operation);
        }
        if (input == null || input.isMissingNode()) {
            input = EMPTY;
        }
        if (!input.isObject()) {
            throw Errors.requestNotAnObject();
        }
        if (shape == null) {
            return;
        }
        Context context = new Context();
        shape.descend(input, null, false, context);
        if (context.errors != null) {
            throw Errors.validation(context.errors);
        }
    }

    /** AWS's path segment for a member: the name with only its first character lower-cased. */
    public static String lowerFirst(String name) {
        if (name == null || name.isEmpty()) {
            return name;
        }
        char first = name.charAt(0);
        char lower = Character.toLowerCase(first);
        return lower == first ? name : lower + name.substring(1);
    }

    /**
     * The decoded length of a base64 string as {@link java.util.Base64#getDecoder()} decodes it
     * (standard alphabet, padding optional but correct if present), or -1 if it is not valid.
     */
    static int base64Length(String s) {
        int n = s.length();
        int pad = 0;
        if (n > 0 && s.charAt(n - 1) == '=') {
            pad = n > 1 && s.charAt(n - 2) == '=' ? 2 : 1;
        }
        int data = n - pad;
        for (int i = 0; i < data; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/')) {
                return -1;
            }
        }
        int rest = data % 4;
        if (rest == 1 || (pad == 1 && rest != 3) || (pad == 2 && rest != 2)) {
            return -1;
        }
        return data / 4 * 3 + (rest == 0 ? 0 : rest - 1);
    }

    // ---- checking ------------------------------------------------------------------------------

    /** The state of one validation: the current AWS path and the sentences found so far. */
    private static final class Context {
        final StringBuilder path = new StringBuilder(64);
        List<String> errors;

        int size() {
            return errors == null ? 0 : errors.size();
        }

        void add(String error) {
            insert(size(), error);
        }

        void insert(int index, String error) {
            if (errors == null) {
                errors = new ArrayList<>(4);
            }
            errors.add(index, error);
        }
    }

    /**
     * Type-checks one present value, reports its own violated constraints at the current path and
     * descends into it. {@code member} is the wire name used in SerializationException messages;
     * {@code inherited} says an enclosing member or shape is sensitive.
     */
    private static void checkValue(Shape shape, JsonNode value, String member, boolean inherited,
            boolean memberSensitive, Context context) {
        boolean hidden = inherited || memberSensitive || shape.hidesValue;
        int violated = shape.check(value, member);
        if (violated != 0) {
            String rendered = hidden ? null : shape.render(value);
            String path = context.path.toString();
            for (int bit = 0; bit < BITS; bit++) {
                if ((violated & (1 << bit)) != 0) {
                    String constraint = shape.constraintTexts[bit];
                    context.add(hidden ? Errors.sensitiveViolation(path, constraint)
                            : Errors.violation(rendered, path, constraint));
                }
            }
        }
        if (shape.aggregate()) {
            shape.descend(value, member, inherited || memberSensitive || shape.sensitive, context);
        }
    }

    /** A sentence about a list's members or a map's entries, said of the container. */
    private static String containerViolation(Shape container, JsonNode value, boolean inherited, Context context,
            String constraint) {
        boolean hidden = inherited || container.hidesValue;
        String path = context.path.toString();
        return hidden ? Errors.sensitiveViolation(path, constraint)
                : Errors.violation(container.render(value), path, constraint);
    }

    // ---- shapes --------------------------------------------------------------------------------

    /** One compiled model shape. */
    private abstract static class Shape {
        final String name;
        final boolean sensitive;
        /** The sentence of each constraint bit this shape has, null for the others. */
        final String[] constraintTexts = new String[BITS];
        /** All of this shape's constraints as AWS lists them for a list member or map entry; empty if none. */
        List<String> allConstraints = List.of();
        /** Sensitive itself or holding a sensitive shape: its value is never printed. */
        boolean hidesValue;

        Shape(String name, boolean sensitive) {
            this.name = name;
            this.sensitive = sensitive;
        }

        /** Throws SerializationException if the JSON type does not fit; returns the violated-constraint bits. */
        abstract int check(JsonNode value, String member);

        /** Appends the value as AWS prints it (Java {@code toString} style), tolerating any JSON. */
        abstract void render(JsonNode value, StringBuilder out);

        final String render(JsonNode value) {
            StringBuilder out = new StringBuilder();
            renderNullable(this, value, out);
            return out.toString();
        }

        boolean aggregate() {
            return false;
        }

        /**
         * Checks nested members of an aggregate whose own constraints were already checked;
         * {@code inherited} says this value or an enclosing one is sensitive.
         */
        void descend(JsonNode value, String member, boolean inherited, Context context) {}

        List<Shape> children() {
            return List.of();
        }
    }

    private static void renderNullable(Shape shape, JsonNode value, StringBuilder out) {
        if (value == null || value.isNull()) {
            out.append("null");
        } else {
            shape.render(value, out);
        }
    }

    /** Length bounds shared by strings, blobs, lists and maps; -1 means unbounded. */
    private abstract static class Sized extends Shape {
        final long minLength;
        final long maxLength;

        Sized(String name, boolean sensitive, JsonNode model) {
            super(name, sensitive);
            minLength = model.has("min") ? model.get("min").asLong() : -1;
            maxLength = model.has("max") ? model.get("max").asLong() : -1;
            if (minLength >= 0) {
                constraintTexts[Integer.numberOfTrailingZeros(MIN_LENGTH)] = Errors.minLength(minLength);
            }
            if (maxLength >= 0) {
                constraintTexts[Integer.numberOfTrailingZeros(MAX_LENGTH)] = Errors.maxLength(maxLength);
            }
        }

        final int lengthBits(long length) {
            int bits = 0;
            if (minLength >= 0 && length < minLength) {
                bits |= MIN_LENGTH;
            }
            if (maxLength >= 0 && length > maxLength) {
                bits |= MAX_LENGTH;
            }
            return bits;
        }

        /** The constraint list in the order AWS prints it: max length, min length, then the rest. */
        final void listConstraints(String... rest) {
            List<String> all = new ArrayList<>();
            if (maxLength >= 0) {
                all.add(Errors.maxLength(maxLength));
            }
            if (minLength >= 0) {
                all.add(Errors.minLength(minLength));
            }
            for (String r : rest) {
                if (r != null) {
                    all.add(r);
                }
            }
            allConstraints = List.copyOf(all);
        }
    }

    private static final class StringShape extends Sized {
        final Set<String> enumValues;
        final Pattern pattern;

        StringShape(String name, boolean sensitive, JsonNode model) {
            super(name, sensitive, model);
            String enumText = null;
            if (model.has("enum")) {
                List<String> values = new ArrayList<>();
                model.get("enum").forEach(v -> values.add(v.asText()));
                enumValues = Set.copyOf(values);
                enumText = Errors.enumValueSet(values);
                constraintTexts[Integer.numberOfTrailingZeros(ENUM)] = enumText;
            } else {
                enumValues = null;
            }
            String patternText = null;
            if (model.has("pattern")) {
                String source = model.get("pattern").asText();
                pattern = Pattern.compile(source);
                patternText = Errors.pattern(source);
                constraintTexts[Integer.numberOfTrailingZeros(PATTERN)] = patternText;
            } else {
                pattern = null;
            }
            listConstraints(patternText, enumText);
        }

        @Override
        int check(JsonNode value, String member) {
            if (!value.isTextual()) {
                throw Errors.unexpectedJsonType(member, "string");
            }
            return checkString(value.textValue());
        }

        int checkString(String s) {
            int bits = 0;
            if (enumValues != null && !enumValues.contains(s)) {
                bits |= ENUM;
            }
            if (pattern != null && !matches(s)) {
                bits |= PATTERN;
            }
            if (minLength >= 0 || maxLength >= 0) {
                // length in code points; count them only when the UTF-16 length leaves doubt
                int n = s.length();
                boolean exact = (maxLength >= 0 && n > maxLength) || (minLength > 0 && n >= minLength && (n + 1) / 2 < minLength);
                bits |= lengthBits(exact ? s.codePointCount(0, n) : n);
            }
            return bits;
        }

        private boolean matches(String s) {
            try {
                // AWS matches the whole value against the model pattern
                return pattern.matcher(s).matches();
            } catch (StackOverflowError e) {
                // a repeated group over a huge value; such a value breaks its length bound anyway
                return false;
            }
        }

        @Override
        void render(JsonNode value, StringBuilder out) {
            out.append(value.isTextual() ? value.textValue() : value.toString());
        }
    }

    private static final class BlobShape extends Sized {
        BlobShape(String name, boolean sensitive, JsonNode model) {
            super(name, sensitive, model);
            listConstraints();
        }

        @Override
        int check(JsonNode value, String member) {
            if (!value.isTextual()) {
                throw Errors.unexpectedJsonType(member, "blob");
            }
            int length = base64Length(value.textValue());
            if (length < 0) {
                throw Errors.invalidBase64(member);
            }
            return lengthBits(length);
        }

        @Override
        void render(JsonNode value, StringBuilder out) {
            // AWS prints the java.nio.ByteBuffer it decoded
            int length = value.isTextual() ? Math.max(0, base64Length(value.textValue())) : 0;
            out.append("java.nio.HeapByteBuffer[pos=0 lim=").append(length).append(" cap=").append(length).append(']');
        }
    }

    private static final class NumberShape extends Shape {
        final String type;
        final boolean integral;
        final long lowest;
        final long highest;
        final JsonNode min;
        final JsonNode max;

        NumberShape(String name, boolean sensitive, JsonNode model, String type) {
            super(name, sensitive);
            this.type = type;
            switch (type) {
                case "byte" -> { integral = true; lowest = Byte.MIN_VALUE; highest = Byte.MAX_VALUE; }
                case "short" -> { integral = true; lowest = Short.MIN_VALUE; highest = Short.MAX_VALUE; }
                case "integer" -> { integral = true; lowest = Integer.MIN_VALUE; highest = Integer.MAX_VALUE; }
                case "long" -> { integral = true; lowest = Long.MIN_VALUE; highest = Long.MAX_VALUE; }
                default -> { integral = false; lowest = 0; highest = 0; }
            }
            min = model.get("min");
            max = model.get("max");
            String minText = min == null ? null : Errors.minValue(min.asText());
            String maxText = max == null ? null : Errors.maxValue(max.asText());
            constraintTexts[Integer.numberOfTrailingZeros(MIN_VALUE)] = minText;
            constraintTexts[Integer.numberOfTrailingZeros(MAX_VALUE)] = maxText;
            List<String> all = new ArrayList<>();
            if (maxText != null) {
                all.add(maxText);
            }
            if (minText != null) {
                all.add(minText);
            }
            allConstraints = List.copyOf(all);
        }

        @Override
        int check(JsonNode value, String member) {
            if (!value.isNumber()) {
                throw Errors.unexpectedJsonType(member, type);
            }
            if (!integral) {
                double d = value.doubleValue();
                int bits = 0;
                if (min != null && d < min.asDouble()) {
                    bits |= MIN_VALUE;
                }
                if (max != null && d > max.asDouble()) {
                    bits |= MAX_VALUE;
                }
                return bits;
            }
            long x = integralValue(value, member);
            if (x < lowest || x > highest) {
                throw Errors.numberOutOfRange(member, type);
            }
            int bits = 0;
            if (min != null && x < min.asLong()) {
                bits |= MIN_VALUE;
            }
            if (max != null && x > max.asLong()) {
                bits |= MAX_VALUE;
            }
            return bits;
        }

        /** The value of a JSON number as a whole number; fractions do not deserialize into integer shapes. */
        private long integralValue(JsonNode value, String member) {
            if (value.isIntegralNumber()) {
                if (!value.canConvertToLong()) {
                    throw Errors.numberOutOfRange(member, type);
                }
                return value.longValue();
            }
            if (value.isBigDecimal()) {
                BigDecimal d = value.decimalValue();
                if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
                    throw Errors.unexpectedJsonType(member, type);
                }
                try {
                    return d.longValueExact();
                } catch (ArithmeticException e) {
                    throw Errors.numberOutOfRange(member, type);
                }
            }
            double d = value.doubleValue();
            if (Double.isNaN(d) || (Double.isFinite(d) && d != Math.rint(d))) {
                throw Errors.unexpectedJsonType(member, type);
            }
            if (!(d >= -0x1p63 && d < 0x1p63)) {
                throw Errors.numberOutOfRange(member, type);
            }
            return (long) d;
        }

        @Override
        void render(JsonNode value, StringBuilder out) {
            if (integral && value.isNumber() && !value.isIntegralNumber()) {
                try {
                    out.append(value.decimalValue().toBigInteger());
                    return;
                } catch (NumberFormatException | ArithmeticException e) {
                    // not finite; fall through
                }
            }
            out.append(value.isValueNode() ? value.asText() : value.toString());
        }
    }

    /** Booleans and timestamps (epoch seconds): type only, no constraints. */
    private static final class ScalarShape extends Shape {
        final String type;

        ScalarShape(String name, boolean sensitive, String type) {
            super(name, sensitive);
            this.type = type;
        }

        @Override
        int check(JsonNode value, String member) {
            boolean fits = switch (type) {
                case "boolean" -> value.isBoolean();
                case "timestamp" -> value.isNumber();
                default -> true; // document and anything newer: any JSON
            };
            if (!fits) {
                throw Errors.unexpectedJsonType(member, type);
            }
            return 0;
        }

        @Override
        void render(JsonNode value, StringBuilder out) {
            out.append(value.isValueNode() ? value.asText() : value.toString());
        }
    }

    private static final class ListShape extends Sized {
        Shape member;

        ListShape(String name, boolean sensitive, JsonNode model) {
            super(name, sensitive, model);
            listConstraints();
        }

        @Override
        int check(JsonNode value, String memberName) {
            if (!value.isArray()) {
                throw Errors.unexpectedJsonType(memberName, "list");
            }
            return lengthBits(value.size());
        }

        @Override
        boolean aggregate() {
            return true;
        }

        @Override
        void descend(JsonNode value, String memberName, boolean inherited, Context context) {
            int at = context.size();
            int base = context.path.length();
            boolean violated = false;
            for (int i = 0, n = value.size(); i < n; i++) {
                JsonNode element = value.get(i);
                if (element == null || element.isNull()) {
                    continue;
                }
                violated |= member.check(element, memberName) != 0;
                if (member.aggregate()) {
                    context.path.append('.').append(i + 1).append(".member");
                    member.descend(element, memberName, inherited || member.sensitive, context);
                    context.path.setLength(base);
                }
            }
            if (violated) {
                context.insert(at, containerViolation(this, value, inherited, context,
                        Errors.memberConstraints(member.allConstraints)));
            }
        }

        @Override
        void render(JsonNode value, StringBuilder out) {
            if (!value.isArray()) {
                out.append(value.isValueNode() ? value.asText() : value.toString());
                return;
            }
            out.append('[');
            for (int i = 0, n = value.size(); i < n; i++) {
                if (i > 0) {
                    out.append(", ");
                }
                renderNullable(member, value.get(i), out);
            }
            out.append(']');
        }

        @Override
        List<Shape> children() {
            return List.of(member);
        }
    }

    private static final class MapShape extends Sized {
        Shape key;
        Shape value;

        MapShape(String name, boolean sensitive, JsonNode model) {
            super(name, sensitive, model);
            listConstraints();
        }

        @Override
        int check(JsonNode json, String member) {
            if (!json.isObject()) {
                throw Errors.unexpectedJsonType(member, "map");
            }
            return lengthBits(json.size());
        }

        @Override
        boolean aggregate() {
            return true;
        }

        @Override
        void descend(JsonNode json, String member, boolean inherited, Context context) {
            int at = context.size();
            int base = context.path.length();
            boolean keyViolated = false;
            boolean valueViolated = false;
            for (Map.Entry<String, JsonNode> entry : json.properties()) {
                if (key instanceof StringShape strings) {
                    keyViolated |= strings.checkString(entry.getKey()) != 0;
                }
                JsonNode v = entry.getValue();
                if (v == null || v.isNull()) {
                    continue;
                }
                valueViolated |= value.check(v, member) != 0;
                if (value.aggregate()) {
                    context.path.append('.').append(entry.getKey()).append(".member");
                    value.descend(v, member, inherited || value.sensitive, context);
                    context.path.setLength(base);
                }
            }
            if (valueViolated) {
                context.insert(at, containerViolation(this, json, inherited, context,
                        Errors.mapValueConstraints(value.allConstraints)));
            }
            if (keyViolated) {
                context.insert(at, containerViolation(this, json, inherited, context,
                        Errors.mapKeyConstraints(key.allConstraints)));
            }
        }

        @Override
        void render(JsonNode json, StringBuilder out) {
            if (!json.isObject()) {
                out.append(json.isValueNode() ? json.asText() : json.toString());
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> entry : json.properties()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                out.append(entry.getKey()).append('=');
                renderNullable(value, entry.getValue(), out);
            }
            out.append('}');
        }

        @Override
        List<Shape> children() {
            return List.of(key, value);
        }
    }

    private static final class Member {
        final String name;
        final String segment;
        final boolean required;
        final boolean sensitive;
        final Shape shape;
        boolean hidden;

        Member(String name, boolean required, boolean sensitive, Shape shape) {
            this.name = name;
            this.segment = lowerFirst(name);
            this.required = required;
            this.sensitive = sensitive;
            this.shape = shape;
        }
    }

    private static final class StructureShape extends Shape {
        Member[] members = new Member[0];

        StructureShape(String name, boolean sensitive) {
            super(name, sensitive);
        }

        @Override
        int check(JsonNode value, String member) {
            if (!value.isObject()) {
                throw Errors.unexpectedJsonType(member, "structure");
            }
            return 0;
        }

        @Override
        boolean aggregate() {
            return true;
        }

        @Override
        void descend(JsonNode value, String ignored, boolean inherited, Context context) {
            StringBuilder path = context.path;
            int base = path.length();
            for (Member m : members) {
                JsonNode v = value.get(m.name);
                if (base > 0) {
                    path.append('.');
                }
                path.append(m.segment);
                if (v == null || v.isNull()) {
                    if (m.required) {
                        String where = path.toString();
                        context.add(inherited || m.hidden ? Errors.sensitiveViolation(where, Errors.mustNotBeNull())
                                : Errors.violation(null, where, Errors.mustNotBeNull()));
                    }
                } else {
                    checkValue(m.shape, v, m.name, inherited, m.sensitive, context);
                }
                path.setLength(base);
            }
        }

        @Override
        void render(JsonNode value, StringBuilder out) {
            if (!value.isObject()) {
                out.append(value.isValueNode() ? value.asText() : value.toString());
                return;
            }
            out.append('{');
            boolean first = true;
            for (Member m : members) {
                JsonNode v = value.get(m.name);
                if (v == null || v.isNull()) {
                    continue;
                }
                if (!first) {
                    out.append(", ");
                }
                first = false;
                out.append(m.name).append('=');
                m.shape.render(v, out);
            }
            out.append('}');
        }

        @Override
        List<Shape> children() {
            List<Shape> shapes = new ArrayList<>(members.length);
            for (Member m : members) {
                shapes.add(m.shape);
            }
            return shapes;
        }
    }

    // ---- compiling the model -------------------------------------------------------------------

    private static ModelValidator parse(String resource) {
        JsonNode root;
        try (InputStream in = ModelValidator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No service model on the classpath at " + resource);
            }
            root = MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read service model " + resource, e);
        }
        JsonNode shapeModels = root.path("shapes");
        Map<String, Shape> shapes = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : shapeModels.properties()) {
            shapes.put(entry.getKey(), create(entry.getKey(), entry.getValue()));
        }
        for (Map.Entry<String, JsonNode> entry : shapeModels.properties()) {
            link(shapes.get(entry.getKey()), entry.getValue(), shapes);
        }
        markHiddenValues(shapes.values());
        for (Shape shape : shapes.values()) {
            if (shape instanceof StructureShape structure) {
                for (Member m : structure.members) {
                    m.hidden = m.sensitive || m.shape.hidesValue;
                }
            }
        }
        Map<String, StructureShape> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> op : root.path("operations").properties()) {
            JsonNode input = op.getValue().path("input").path("shape");
            Shape shape = input.isTextual() ? resolve(input.asText(), shapes) : null;
            if (shape != null && !(shape instanceof StructureShape)) {
                throw new IllegalStateException("Input of " + op.getKey() + " is not a structure");
            }
            inputs.put(op.getKey(), (StructureShape) shape);
        }
        return new ModelValidator(root.path("metadata").path("targetPrefix").asText(), inputs);
    }

    private static Shape create(String name, JsonNode model) {
        boolean sensitive = model.path("sensitive").asBoolean(false);
        String type = model.path("type").asText();
        return switch (type) {
            case "string" -> new StringShape(name, sensitive, model);
            case "blob" -> new BlobShape(name, sensitive, model);
            case "byte", "short", "integer", "long", "float", "double" -> new NumberShape(name, sensitive, model, type);
            case "list" -> new ListShape(name, sensitive, model);
            case "map" -> new MapShape(name, sensitive, model);
            case "structure" -> new StructureShape(name, sensitive);
            default -> new ScalarShape(name, sensitive, type);
        };
    }

    private static void link(Shape shape, JsonNode model, Map<String, Shape> shapes) {
        if (shape instanceof ListShape list) {
            list.member = resolve(model.path("member").path("shape").asText(), shapes);
        } else if (shape instanceof MapShape map) {
            map.key = resolve(model.path("key").path("shape").asText(), shapes);
            map.value = resolve(model.path("value").path("shape").asText(), shapes);
        } else if (shape instanceof StructureShape structure) {
            Set<String> required = new HashSet<>();
            model.path("required").forEach(r -> required.add(r.asText()));
            List<Member> members = new ArrayList<>();
            for (Map.Entry<String, JsonNode> m : model.path("members").properties()) {
                JsonNode memberModel = m.getValue();
                members.add(new Member(m.getKey(), required.contains(m.getKey()),
                        memberModel.path("sensitive").asBoolean(false),
                        resolve(memberModel.path("shape").asText(), shapes)));
            }
            structure.members = members.toArray(new Member[0]);
        }
    }

    private static Shape resolve(String name, Map<String, Shape> shapes) {
        Shape shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalStateException("The model references an undefined shape " + name);
        }
        return shape;
    }

    /** Marks every shape that is sensitive or holds a sensitive shape or member, recursion included. */
    private static void markHiddenValues(Iterable<Shape> shapes) {
        for (Shape shape : shapes) {
            shape.hidesValue = shape.sensitive;
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Shape shape : shapes) {
                if (shape.hidesValue) {
                    continue;
                }
                boolean hides = false;
                if (shape instanceof StructureShape structure) {
                    for (Member m : structure.members) {
                        hides |= m.sensitive;
                    }
                }
                for (Shape child : shape.children()) {
                    hides |= child.hidesValue;
                }
                if (hides) {
                    shape.hidesValue = true;
                    changed = true;
                }
            }
        }
    }
}
