package dev.smlocal.server.persist;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A declared estate ({@code --init FILE}, the testkit's {@code initialState}): keys, aliases,
 * secrets with their replicas, policies and rotation, rotation functions and faults, in the API's
 * own member names (docs/PERSISTENCE.md "Initial state"). It is applied by calling the REAL
 * operations ({@code CreateKey}, {@code ReplicateKey}, {@code CreateAlias}, {@code CreateSecret},
 * {@code PutResourcePolicy}, {@code RotateSecret}) through a {@link Target}, so every validation
 * and every error is AWS's; a refusal names the entry ({@code Secrets[2]: ValidationException: ...}).
 *
 * <p>Parsing is strict: a member this format does not know is refused with its path, so a typo is
 * never silently ignored.
 */
public final class InitialState {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    public static final String DEFAULT_ACCOUNT = "000000000000";

    static final Set<String> TOP = Set.of("Keys", "Secrets", "Functions", "Faults");
    /** Key members besides Region, Account, Aliases, ReplicaRegions: passed to CreateKey as written. */
    static final Set<String> KEY_CREATE = Set.of("Description", "KeySpec", "KeyUsage", "MultiRegion", "Policy", "Tags");
    static final Set<String> KEY_OWN = Set.of("Region", "Account", "Aliases", "ReplicaRegions");
    /** Secret members passed to CreateSecret as written. */
    static final Set<String> SECRET_CREATE = Set.of("Name", "Description", "KmsKeyId", "SecretString", "SecretBinary",
            "Tags", "AddReplicaRegions", "ForceOverwriteReplicaSecret");
    static final Set<String> SECRET_OWN = Set.of("Region", "Account", "ResourcePolicy", "BlockPublicPolicy",
            "RotationLambdaARN", "RotationRules", "RotateImmediately");
    static final Set<String> FUNCTION = Set.of("Name", "Url");

    /** A declared estate that cannot be read or applied; the message names the source and the entry. */
    public static final class Invalid extends IllegalArgumentException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** What an operation answered: 200 and its output, or AWS's error type and message. */
    public record Answer(int status, JsonNode body) {
        boolean ok() {
            return status == 200;
        }
    }

    /**
     * Where the estate is applied: the emulator's dispatcher (every model check and AWS validation),
     * its rotation functions and its fault plan.
     */
    public interface Target {
        /** Calls {@code target} ({@code secretsmanager.CreateSecret}, {@code TrentService.CreateKey}) as {@code account} in {@code region}. */
        Answer call(String target, String region, String account, ObjectNode input);

        /** Registers an HTTP rotation function; bad input is an {@link IllegalArgumentException}. */
        void registerFunction(String name, String url);

        /** Adds a fault rule written as the admin API's JSON; bad input is an {@link IllegalArgumentException}. */
        void addFault(JsonNode rule);
    }

    private final String source;
    private final ObjectNode document;

    private InitialState(String source, ObjectNode document) {
        this.source = source;
        this.document = document;
    }

    /** Reads {@code file}; a missing or unreadable file, bad JSON or an unknown member is {@link Invalid}. */
    public static InitialState read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new Invalid("--init " + file + ": no such file");
        } catch (IOException e) {
            throw new Invalid("--init " + file + ": cannot read it: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Reads a classpath resource ({@code estate.json} or {@code /estate.json}) with {@code loader}. */
    public static InitialState resource(String name, ClassLoader loader) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        try (InputStream in = loader.getResourceAsStream(n)) {
            if (in == null) throw new Invalid("initial state classpath:" + n + ": no such resource");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + n);
        } catch (IOException e) {
            throw new Invalid("initial state classpath:" + n + ": cannot read it: " + e.getMessage());
        }
    }

    /** Parses a declared estate; {@code source} names it in messages. */
    public static InitialState parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new Invalid(source + ": not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) throw new Invalid(source + ": the estate must be a JSON object");
        InitialState s = new InitialState(source, (ObjectNode) root);
        s.check();
        return s;
    }

    public String source() {
        return source;
    }

    // ---- the shape ----------------------------------------------------------------------------------

    private void check() {
        members(document, "", TOP);
        for (String list : TOP) {
            JsonNode n = document.get(list);
            if (n != null && !n.isArray()) throw invalid(list, "must be a list");
        }
        each("Keys", (path, k) -> {
            members(k, path, union(KEY_CREATE, KEY_OWN));
            texts(k, path, "Aliases");
            texts(k, path, "ReplicaRegions");
        });
        each("Secrets", (path, s) -> {
            members(s, path, union(SECRET_CREATE, SECRET_OWN));
            if (!s.path("Name").isTextual()) throw invalid(path, "Name is required (a string)");
            JsonNode policy = s.get("ResourcePolicy");
            if (policy != null && !policy.isTextual() && !policy.isObject()) {
                throw invalid(path + ".ResourcePolicy", "must be a policy document (an object or its JSON text)");
            }
            if (s.has("RotationRules") && !s.has("RotationLambdaARN")) {
                throw invalid(path, "RotationRules needs RotationLambdaARN");
            }
        });
        each("Functions", (path, f) -> {
            members(f, path, FUNCTION);
            if (!f.path("Name").isTextual() || !f.path("Url").isTextual()) throw invalid(path, "Name and Url are required (strings)");
        });
        each("Faults", (path, f) -> { });
        for (String list : List.of("Keys", "Secrets")) {
            each(list, (path, e) -> {
                for (String m : List.of("Region", "Account")) {
                    if (e.has(m) && !e.get(m).isTextual()) throw invalid(path + "." + m, "must be a string");
                }
                if (e.has("Account") && !e.get("Account").asText().matches("\\d{12}")) {
                    throw invalid(path + ".Account", "must be a 12-digit account id");
                }
            });
        }
    }

    private interface Entry {
        void accept(String path, JsonNode entry);
    }

    private void each(String list, Entry f) {
        JsonNode n = document.get(list);
        if (n == null) return;
        for (int i = 0; i < n.size(); i++) {
            String path = list + "[" + i + "]";
            if (!n.get(i).isObject()) throw invalid(path, "must be an object");
            f.accept(path, n.get(i));
        }
    }

    private void members(JsonNode node, String path, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String m = it.next();
            if (!known.contains(m)) {
                throw invalid(path.isEmpty() ? m : path + "." + m, "unknown member (known: " + String.join(", ",
                        new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private void texts(JsonNode node, String path, String member) {
        JsonNode n = node.get(member);
        if (n == null) return;
        boolean ok = n.isArray();
        for (JsonNode x : n) ok &= x.isTextual();
        if (!ok) throw invalid(path + "." + member, "must be a list of strings");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return u;
    }

    private Invalid invalid(String path, String message) {
        return new Invalid(source + ": " + path + ": " + message);
    }

    // ---- applying ------------------------------------------------------------------------------------

    /** A secret created, whose declared replicas must be InSync before the estate counts as applied. */
    public record Created(String path, String region, String account, String arn, List<String> replicaRegions) {}

    /**
     * Applies the estate in order: functions, keys (with their replicas and aliases), secrets (with
     * their policies and rotation); the faults come with {@link #applyFaults}. {@code defaultRegion} stands for a missing Region. Stops
     * at the first refusal with {@link Invalid} naming the entry; what was created before stays
     * (the caller resets). Returns the secrets created, for {@link #checkReplicas}.
     */
    public List<Created> apply(Target target, String defaultRegion) {
        each("Functions", (path, f) -> {
            try {
                target.registerFunction(f.get("Name").asText(), f.get("Url").asText());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw invalid(path, e.getMessage());
            }
        });
        each("Keys", (path, k) -> applyKey(target, path, k, defaultRegion));
        List<Created> created = new ArrayList<>();
        each("Secrets", (path, s) -> created.add(applySecret(target, path, s, defaultRegion)));
        return created;
    }

    /**
     * Adds the declared faults: call it last, once the replicas are {@code InSync}, so that no fault
     * hits the estate's own calls or holds its replication.
     */
    public void applyFaults(Target target) {
        each("Faults", (path, f) -> {
            try {
                target.addFault(f);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw invalid(path, e.getMessage());
            }
        });
    }

    private void applyKey(Target target, String path, JsonNode k, String defaultRegion) {
        String region = k.path("Region").asText(defaultRegion);
        String account = k.path("Account").asText(DEFAULT_ACCOUNT);
        ObjectNode create = JSON.createObjectNode();
        for (String m : KEY_CREATE) if (k.has(m)) create.set(m, k.get(m));
        JsonNode out = call(target, path, "TrentService.CreateKey", region, account, create);
        String keyId = out.path("KeyMetadata").path("KeyId").asText();
        List<String> regions = new ArrayList<>();
        regions.add(region);
        int r = 0;
        for (JsonNode replica : k.path("ReplicaRegions")) {
            ObjectNode in = JSON.createObjectNode().put("KeyId", keyId).put("ReplicaRegion", replica.asText());
            call(target, path + ".ReplicaRegions[" + r++ + "]", "TrentService.ReplicateKey", region, account, in);
            regions.add(replica.asText());
        }
        int a = 0;
        for (JsonNode alias : k.path("Aliases")) {
            String aliasPath = path + ".Aliases[" + a++ + "]";
            for (String in : regions) {
                call(target, aliasPath, "TrentService.CreateAlias", in, account,
                        JSON.createObjectNode().put("AliasName", alias.asText()).put("TargetKeyId", keyId));
            }
        }
    }

    private Created applySecret(Target target, String path, JsonNode s, String defaultRegion) {
        String region = s.path("Region").asText(defaultRegion);
        String account = s.path("Account").asText(DEFAULT_ACCOUNT);
        ObjectNode create = JSON.createObjectNode();
        for (String m : SECRET_CREATE) if (s.has(m)) create.set(m, s.get(m));
        String name = s.get("Name").asText();
        create.put("ClientRequestToken", token("create", account, region, name));
        JsonNode out = call(target, path, "secretsmanager.CreateSecret", region, account, create);
        String arn = out.path("ARN").asText();
        if (s.has("ResourcePolicy")) {
            JsonNode p = s.get("ResourcePolicy");
            ObjectNode in = JSON.createObjectNode().put("SecretId", arn)
                    .put("ResourcePolicy", p.isTextual() ? p.asText() : p.toString());
            if (s.has("BlockPublicPolicy")) in.set("BlockPublicPolicy", s.get("BlockPublicPolicy"));
            call(target, path + ".ResourcePolicy", "secretsmanager.PutResourcePolicy", region, account, in);
        }
        if (s.has("RotationLambdaARN")) {
            ObjectNode in = JSON.createObjectNode().put("SecretId", arn)
                    .put("ClientRequestToken", token("rotate", account, region, name));
            in.set("RotationLambdaARN", s.get("RotationLambdaARN"));
            if (s.has("RotationRules")) in.set("RotationRules", s.get("RotationRules"));
            // the declared value stays current unless the entry asks for a rotation at once
            in.set("RotateImmediately", s.has("RotateImmediately") ? s.get("RotateImmediately")
                    : JSON.getNodeFactory().booleanNode(false));
            call(target, path + ".RotationLambdaARN", "secretsmanager.RotateSecret", region, account, in);
        }
        List<String> replicas = new ArrayList<>();
        for (JsonNode r : s.path("AddReplicaRegions")) replicas.add(r.path("Region").asText());
        return new Created(path, region, account, arn, replicas);
    }

    /**
     * Checks that every declared replica is {@code InSync} (call once the replication work has run);
     * a replica in any other state is {@link Invalid} naming the entry, the region and AWS's status
     * message. With {@code waiting}, a replica still {@code InProgress} answers false instead (the
     * caller waits for the system clock's scheduler and asks again).
     */
    public boolean checkReplicas(Target target, List<Created> created, boolean waiting) {
        for (Created c : created) {
            if (c.replicaRegions().isEmpty()) continue;
            JsonNode d = call(target, c.path(), "secretsmanager.DescribeSecret", c.region(), c.account(),
                    JSON.createObjectNode().put("SecretId", c.arn()));
            for (String region : c.replicaRegions()) {
                String status = null;
                String message = null;
                for (JsonNode r : d.path("ReplicationStatus")) {
                    if (r.path("Region").asText().equals(region)) {
                        status = r.path("Status").asText();
                        message = r.path("StatusMessage").asText(null);
                    }
                }
                if (waiting && "InProgress".equals(status)) return false;
                if (!"InSync".equals(status)) {
                    throw invalid(c.path() + ".AddReplicaRegions", "the replica in " + region + " is " + status
                            + (message == null ? "" : ": " + message));
                }
            }
        }
        return true;
    }

    /** The same token for the same entry every time the estate is applied (seeded ids stay seeded). */
    private static String token(String what, String account, String region, String name) {
        return UUID.nameUUIDFromBytes(("smlocal-init " + what + " " + account + " " + region + " " + name)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private JsonNode call(Target target, String path, String op, String region, String account, ObjectNode input) {
        Answer a = target.call(op, region, account, input);
        if (a.ok()) return a.body();
        String type = a.body().path("__type").asText("error");
        int hash = type.indexOf('#');
        if (hash >= 0) type = type.substring(hash + 1);
        throw invalid(path, type + ": " + a.body().path("Message").asText(""));
    }
}
