package dev.smlocal.server.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.auth.Policy;
import dev.smlocal.server.auth.Principal;
import dev.smlocal.server.auth.Principals;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.kms.AliasRecord;
import dev.smlocal.server.kms.Envelope;
import dev.smlocal.server.kms.KeyRecord;
import dev.smlocal.server.kms.KeyState;
import dev.smlocal.server.replication.Replicator;
import dev.smlocal.server.secrets.RotationConfig;
import dev.smlocal.server.secrets.RotationRules;
import dev.smlocal.server.secrets.SecretRecord;
import dev.smlocal.server.secrets.Tag;
import dev.smlocal.server.time.EmulatorClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The state document: the whole emulator state as one JSON object, and each entity of it on its
 * own (a secret, a key, an alias, a principal, a function, a fault), so a journal can write one
 * changed entity at a time. The format is described field by field in {@code docs/PERSISTENCE.md};
 * {@link #FORMAT} is its version.
 *
 * <p>Two directions, both pure (no emulator, no I/O):
 * <ul>
 *   <li><b>encode</b>: {@code secret(SecretRecord)}, {@code key(KeyRecord)}, ..., and
 *       {@link #document} for a whole {@link State};</li>
 *   <li><b>decode</b>: {@code secret(JsonNode, String where)}, ..., and {@link #decode} for a whole
 *       document. Decoding checks everything a restore needs (types, base64, instants, durations,
 *       policies compile, fault rules are valid) and throws {@link BadDocument} naming the field
 *       ({@code secrets[2].versions[0].sealed[0].box: not base64}); a restore that starts from a
 *       decoded {@link State} therefore does not fail half-way on the document's account.</li>
 * </ul>
 * Values stay sealed (the envelope exactly as held in memory, base64) unless a document is made
 * with values in the clear ({@code "values": "clear"}): then each version carries its value and a
 * restore seals it again under the secret's key. Key material is always in the document: it is as
 * secret as the keys.
 */
public final class StateCodec {
    /** The format this build writes and the newest it reads. */
    public static final int FORMAT = 1;

    /** {@code "values"} of a document whose values are sealed (the default). */
    public static final String SEALED = "sealed";
    /** {@code "values"} of a document whose values are in the clear. */
    public static final String CLEAR = "clear";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Set<String> REPLICA_STATUSES = Set.of("InProgress", "InSync", "Failed");

    private StateCodec() {}

    /** A document (or entity) that cannot be restored; the message names the field and the problem. */
    public static final class BadDocument extends IllegalArgumentException {
        public BadDocument(String message) {
            super(message);
        }
    }

    // =============================================================================================
    // The whole document
    // =============================================================================================

    /** The manual clock's time as the document records it ({@code now} is null for a system clock). */
    public record Clock(EmulatorClock.Mode mode, Instant now) {}

    /** An HTTP rotation function registered through the admin API. */
    public record Function(String name, URI url) {}

    /** A fault rule and how many more times it applies (null: until removed). */
    public record Fault(FaultRule rule, Integer remaining) {}

    /**
     * The whole state. {@code clearValues}: the secrets' versions carry plaintext (see
     * {@link SecretRecord.Version}). Lists are in a stable order (account, region, name or id).
     * {@code clock}, {@code defaultLag} and {@code principals} are null when a document leaves them
     * out: a restore then keeps what the emulator has.
     */
    public record State(String smlocalVersion, boolean clearValues, Clock clock, Duration defaultLag,
                        List<Replicator.Route> routes, List<Principals.Declared> principals,
                        List<Function> functions, List<Fault> faults, List<KeyRecord> keys,
                        List<AliasRecord> aliases, List<SecretRecord> secrets) {}

    /** The document of {@code s}. */
    public static ObjectNode document(State s) {
        ObjectNode d = NODES.objectNode();
        d.put("format", FORMAT);
        d.put("smlocal", s.smlocalVersion());
        d.put("values", s.clearValues() ? CLEAR : SEALED);
        if (s.clock() != null) d.set("clock", clock(s.clock()));
        d.set("replication", replication(s.defaultLag(), s.routes()));
        if (s.principals() != null) {
            ArrayNode principals = d.putArray("principals");
            s.principals().forEach(p -> principals.add(principal(p)));
        }
        ArrayNode functions = d.putArray("functions");
        s.functions().forEach(f -> functions.add(function(f)));
        ArrayNode faults = d.putArray("faults");
        s.faults().forEach(f -> faults.add(fault(f)));
        ArrayNode keys = d.putArray("keys");
        s.keys().forEach(k -> keys.add(key(k)));
        ArrayNode aliases = d.putArray("aliases");
        s.aliases().forEach(a -> aliases.add(alias(a)));
        ArrayNode secrets = d.putArray("secrets");
        s.secrets().forEach(r -> secrets.add(secret(r)));
        return d;
    }

    /** Parses a document's text; {@link BadDocument} when it is not a JSON object. */
    public static JsonNode parse(String text) {
        try {
            JsonNode n = MAPPER.readTree(text);
            if (n == null || !n.isObject()) throw new BadDocument("the state document must be a JSON object");
            return n;
        } catch (java.io.IOException e) {
            throw new BadDocument("the state document is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /**
     * Reads and checks a whole document. A {@code format} newer than {@link #FORMAT} is refused with a
     * message saying to use a newer smlocal; every other problem names its field.
     */
    public static State decode(JsonNode d) {
        if (d == null || !d.isObject()) throw new BadDocument("the state document must be a JSON object");
        JsonNode format = d.get("format");
        if (format == null || !format.canConvertToInt()) {
            throw new BadDocument("format: missing or not a number (this smlocal writes format " + FORMAT + ")");
        }
        if (format.intValue() > FORMAT) {
            throw new BadDocument("format: " + format.intValue() + " is newer than this smlocal reads (" + FORMAT
                    + "); use the smlocal that wrote it, or a newer one");
        }
        if (format.intValue() < 1) throw new BadDocument("format: " + format.intValue() + " is not a known format");
        String values = optText(d, "values", "");
        if (values == null) values = SEALED;
        if (!values.equals(SEALED) && !values.equals(CLEAR)) {
            throw new BadDocument("values: must be \"sealed\" or \"clear\", was \"" + values + "\"");
        }
        boolean clear = values.equals(CLEAR);
        Clock clock = d.has("clock") && !d.get("clock").isNull() ? clock(d.get("clock"), "clock") : null;
        JsonNode rep = d.get("replication");
        Duration defaultLag = null;
        List<Replicator.Route> routes = List.of();
        if (rep != null && !rep.isNull()) {
            requireObject(rep, "replication");
            defaultLag = optDuration(rep, "defaultLag", "replication.");
            routes = routes(rep.get("routes"), "replication.routes");
        }
        List<Principals.Declared> principals = d.hasNonNull("principals") ? new ArrayList<>() : null;
        forEach(d, "principals", (n, w) -> principals.add(principal(n, w)));
        List<Function> functions = new ArrayList<>();
        forEach(d, "functions", (n, w) -> functions.add(function(n, w)));
        List<Fault> faults = new ArrayList<>();
        forEach(d, "faults", (n, w) -> faults.add(fault(n, w)));
        List<KeyRecord> keys = new ArrayList<>();
        forEach(d, "keys", (n, w) -> keys.add(key(n, w)));
        List<AliasRecord> aliases = new ArrayList<>();
        forEach(d, "aliases", (n, w) -> aliases.add(alias(n, w)));
        List<SecretRecord> secrets = new ArrayList<>();
        forEach(d, "secrets", (n, w) -> secrets.add(secret(n, w, clear)));
        checkReferences(keys, aliases, secrets);
        return new State(optText(d, "smlocal", ""), clear, clock, defaultLag, routes, principals, functions, faults,
                keys, aliases, secrets);
    }

    /** Aliases name keys of their own store; no two secrets share a name in a store, nor two keys an id. */
    private static void checkReferences(List<KeyRecord> keys, List<AliasRecord> aliases, List<SecretRecord> secrets) {
        Set<String> keyIds = new LinkedHashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            KeyRecord k = keys.get(i);
            if (!keyIds.add(k.account() + "/" + k.region() + "/" + k.keyId())) {
                throw new BadDocument("keys[" + i + "]: a second key " + k.keyId() + " in " + k.account() + "/" + k.region());
            }
        }
        Set<String> aliasNames = new LinkedHashSet<>();
        for (int i = 0; i < aliases.size(); i++) {
            AliasRecord a = aliases.get(i);
            if (!keyIds.contains(a.account() + "/" + a.region() + "/" + a.targetKeyId())) {
                throw new BadDocument("aliases[" + i + "]: targetKeyId " + a.targetKeyId() + " is not a key in "
                        + a.account() + "/" + a.region());
            }
            if (!aliasNames.add(a.account() + "/" + a.region() + "/" + a.name())) {
                throw new BadDocument("aliases[" + i + "]: a second alias " + a.name() + " in " + a.account() + "/" + a.region());
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < secrets.size(); i++) {
            SecretRecord s = secrets.get(i);
            if (!names.add(s.account() + "/" + s.region() + "/" + s.name())) {
                throw new BadDocument("secrets[" + i + "]: a second secret " + s.name() + " in " + s.account() + "/" + s.region());
            }
        }
    }

    // =============================================================================================
    // Secrets
    // =============================================================================================

    /**
     * A secret: each version's value sealed, exactly as held in memory, or in the clear
     * ({@code "value"}) when the record carries its plaintext (see {@link SecretRecord.Version}).
     */
    public static ObjectNode secret(SecretRecord r) {
        ObjectNode n = NODES.objectNode();
        n.put("arn", r.arn());
        n.put("name", r.name());
        putInstant(n, "createdDate", r.createdDate());
        putText(n, "description", r.description());
        putText(n, "kmsKeyId", r.kmsKeyId());
        if (r.tags() != null) {
            ArrayNode tags = n.putArray("tags");
            for (Tag t : r.tags()) tags.addObject().put("key", t.key()).put("value", t.value());
        }
        putText(n, "resourcePolicy", r.resourcePolicy());
        putInstant(n, "lastChangedDate", r.lastChangedDate());
        putInstant(n, "lastAccessedDate", r.lastAccessedDate());
        putInstant(n, "deletedDate", r.deletedDate());
        putInstant(n, "deletionDate", r.deletionDate());
        putText(n, "owningService", r.owningService());
        putText(n, "type", r.type());
        if (r.rotation() != null) {
            ObjectNode rot = n.putObject("rotation");
            rot.put("enabled", r.rotation().enabled());
            putText(rot, "lambdaArn", r.rotation().lambdaArn());
            RotationRules rules = r.rotation().rules();
            if (rules != null) {
                ObjectNode rn = rot.putObject("rules");
                if (rules.automaticallyAfterDays() != null) rn.put("automaticallyAfterDays", rules.automaticallyAfterDays());
                putText(rn, "duration", rules.duration());
                putText(rn, "scheduleExpression", rules.scheduleExpression());
            }
        }
        putInstant(n, "lastRotatedDate", r.lastRotatedDate());
        putInstant(n, "nextRotationDate", r.nextRotationDate());
        putText(n, "primaryRegion", r.primaryRegion());
        ArrayNode replicas = n.putArray("replicas");
        for (SecretRecord.Replica rep : r.replicas()) {
            ObjectNode rn = replicas.addObject();
            rn.put("region", rep.region());
            putText(rn, "kmsKeyId", rep.kmsKeyId());
            rn.put("status", rep.status());
            putText(rn, "statusMessage", rep.statusMessage());
            putInstant(rn, "lastAccessedDate", rep.lastAccessedDate());
        }
        n.put("replicationSeq", r.replicationSeq());
        ArrayNode versions = n.putArray("versions");
        for (SecretRecord.Version v : r.versions()) versions.add(version(v));
        return n;
    }

    private static ObjectNode version(SecretRecord.Version v) {
        ObjectNode n = NODES.objectNode();
        n.put("versionId", v.versionId());
        putInstant(n, "createdDate", v.createdDate());
        ArrayNode stages = n.putArray("stages");
        v.stages().forEach(stages::add);
        n.put("binary", v.binary());
        putInstant(n, "lastAccessedDate", v.lastAccessedDate());
        ArrayNode keyIds = n.putArray("kmsKeyIds");
        v.kmsKeyIds().forEach(keyIds::add);
        byte[] plain = v.plaintext();
        if (plain != null) {
            ObjectNode value = n.putObject("value");
            if (v.binary()) value.put("secretBinary", B64.encodeToString(plain));
            else value.put("secretString", new String(plain, StandardCharsets.UTF_8));
        } else {
            ArrayNode sealed = n.putArray("sealed");
            for (Envelope.Sealed s : v.copies()) {
                sealed.addObject().put("keyArn", s.keyArn()).put("wrappedKey", B64.encodeToString(s.wrappedKey()))
                        .put("box", B64.encodeToString(s.box()));
            }
        }
        return n;
    }

    /** Reads a secret; versions may carry their value sealed or in the clear. */
    public static SecretRecord secret(JsonNode n, String where) {
        return secret(n, where, true);
    }

    private static SecretRecord secret(JsonNode n, String where, boolean clearAllowed) {
        requireObject(n, where);
        String w = where + ".";
        String arn = reqText(n, "arn", w);
        String[] parts = arn.split(":", -1);
        if (parts.length < 7 || !parts[0].equals("arn") || !parts[2].equals("secretsmanager")
                || parts[3].isEmpty() || !parts[4].matches("\\d{12}") || !parts[5].equals("secret")) {
            throw new BadDocument(w + "arn: not a secret ARN: " + arn);
        }
        String name = reqText(n, "name", w);
        List<Tag> tags = null;
        JsonNode tn = n.get("tags");
        if (tn != null && !tn.isNull()) {
            requireArray(tn, w + "tags");
            tags = new ArrayList<>();
            for (int i = 0; i < tn.size(); i++) {
                String tw = w + "tags[" + i + "].";
                requireObject(tn.get(i), w + "tags[" + i + "]");
                tags.add(new Tag(reqText(tn.get(i), "key", tw), optText(tn.get(i), "value", tw)));
            }
        }
        RotationConfig rotation = null;
        JsonNode rot = n.get("rotation");
        if (rot != null && !rot.isNull()) {
            requireObject(rot, w + "rotation");
            RotationRules rules = null;
            JsonNode rn = rot.get("rules");
            if (rn != null && !rn.isNull()) {
                requireObject(rn, w + "rotation.rules");
                JsonNode days = rn.get("automaticallyAfterDays");
                if (days != null && !days.isNull() && !days.canConvertToLong()) {
                    throw new BadDocument(w + "rotation.rules.automaticallyAfterDays: not a number");
                }
                rules = new RotationRules(days == null || days.isNull() ? null : days.longValue(),
                        optText(rn, "duration", w + "rotation.rules."), optText(rn, "scheduleExpression", w + "rotation.rules."));
            }
            rotation = new RotationConfig(optBool(rot, "enabled", w + "rotation.", false),
                    optText(rot, "lambdaArn", w + "rotation."), rules);
        }
        List<SecretRecord.Replica> replicas = new ArrayList<>();
        JsonNode rs = n.get("replicas");
        if (rs != null && !rs.isNull()) {
            requireArray(rs, w + "replicas");
            for (int i = 0; i < rs.size(); i++) {
                String rw = w + "replicas[" + i + "].";
                JsonNode r = rs.get(i);
                requireObject(r, w + "replicas[" + i + "]");
                String status = reqText(r, "status", rw);
                if (!REPLICA_STATUSES.contains(status)) {
                    throw new BadDocument(rw + "status: must be InProgress, InSync or Failed, was " + status);
                }
                replicas.add(new SecretRecord.Replica(reqText(r, "region", rw), optText(r, "kmsKeyId", rw), status,
                        optText(r, "statusMessage", rw), optInstant(r, "lastAccessedDate", rw)));
            }
        }
        List<SecretRecord.Version> versions = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        Map<String, String> stageHolders = new TreeMap<>();
        JsonNode vs = n.get("versions");
        if (vs != null && !vs.isNull()) {
            requireArray(vs, w + "versions");
            for (int i = 0; i < vs.size(); i++) {
                String vw = w + "versions[" + i + "]";
                SecretRecord.Version v = version(vs.get(i), vw, clearAllowed);
                if (!ids.add(v.versionId())) throw new BadDocument(vw + ".versionId: " + v.versionId() + " appears twice");
                for (String stage : v.stages()) {
                    String other = stageHolders.put(stage, v.versionId());
                    if (other != null) {
                        throw new BadDocument(vw + ".stages: " + stage + " is on two versions (" + other + ", "
                                + v.versionId() + ")");
                    }
                }
                versions.add(v);
            }
        }
        JsonNode seq = n.get("replicationSeq");
        if (seq != null && !seq.isNull() && !seq.canConvertToLong()) throw new BadDocument(w + "replicationSeq: not a number");
        Instant created = reqInstant(n, "createdDate", w);
        Instant changed = optInstant(n, "lastChangedDate", w);
        SecretRecord r = new SecretRecord(arn, name, created, optText(n, "description", w), optText(n, "kmsKeyId", w),
                tags, optText(n, "resourcePolicy", w), changed == null ? created : changed,
                optInstant(n, "lastAccessedDate", w), optInstant(n, "deletedDate", w), optInstant(n, "deletionDate", w),
                optText(n, "owningService", w), optText(n, "type", w), rotation, optInstant(n, "lastRotatedDate", w),
                optInstant(n, "nextRotationDate", w), optText(n, "primaryRegion", w), replicas,
                seq == null || seq.isNull() ? 0 : seq.longValue(), versions);
        try {
            r.compiledPolicy();
        } catch (AwsException e) {
            throw new BadDocument(w + "resourcePolicy: " + e.getMessage());
        }
        return r;
    }

    private static SecretRecord.Version version(JsonNode n, String where, boolean clearAllowed) {
        requireObject(n, where);
        String w = where + ".";
        String id = reqText(n, "versionId", w);
        List<String> stages = new ArrayList<>();
        JsonNode st = n.get("stages");
        if (st != null && !st.isNull()) {
            requireArray(st, w + "stages");
            for (int i = 0; i < st.size(); i++) {
                if (!st.get(i).isTextual()) throw new BadDocument(w + "stages[" + i + "]: not a string");
                stages.add(st.get(i).textValue());
            }
        }
        List<String> keyIds = new ArrayList<>();
        JsonNode ki = n.get("kmsKeyIds");
        if (ki != null && !ki.isNull()) {
            requireArray(ki, w + "kmsKeyIds");
            for (int i = 0; i < ki.size(); i++) {
                if (!ki.get(i).isTextual()) throw new BadDocument(w + "kmsKeyIds[" + i + "]: not a string");
                keyIds.add(ki.get(i).textValue());
            }
        }
        boolean binary = optBool(n, "binary", w, false);
        JsonNode value = n.get("value");
        JsonNode sealed = n.get("sealed");
        boolean hasValue = value != null && !value.isNull();
        boolean hasSealed = sealed != null && !sealed.isNull() && !(sealed.isArray() && sealed.isEmpty());
        if (hasValue && hasSealed) throw new BadDocument(w + "value: a version has either value or sealed, not both");
        byte[] plain = null;
        List<Envelope.Sealed> copies = new ArrayList<>();
        if (hasValue) {
            if (!clearAllowed) throw new BadDocument(w + "value: a value in the clear in a sealed document");
            requireObject(value, w + "value");
            String s = optText(value, "secretString", w + "value.");
            String b = optText(value, "secretBinary", w + "value.");
            if ((s == null) == (b == null)) {
                throw new BadDocument(w + "value: needs exactly one of secretString and secretBinary");
            }
            plain = s != null ? s.getBytes(StandardCharsets.UTF_8) : base64(b, w + "value.secretBinary");
            binary = b != null;
        } else if (hasSealed) {
            requireArray(sealed, w + "sealed");
            for (int i = 0; i < sealed.size(); i++) {
                String sw = w + "sealed[" + i + "]";
                JsonNode c = sealed.get(i);
                requireObject(c, sw);
                copies.add(new Envelope.Sealed(reqText(c, "keyArn", sw + "."),
                        base64(reqText(c, "wrappedKey", sw + "."), sw + ".wrappedKey"),
                        base64(reqText(c, "box", sw + "."), sw + ".box")));
            }
        }
        return new SecretRecord.Version(id, reqInstant(n, "createdDate", w), stages, binary,
                optInstant(n, "lastAccessedDate", w), keyIds, copies, plain);
    }

    // =============================================================================================
    // KMS keys and aliases
    // =============================================================================================

    /** A KMS key with its material (base64) and policy. */
    public static ObjectNode key(KeyRecord k) {
        ObjectNode n = NODES.objectNode();
        n.put("account", k.account());
        n.put("region", k.region());
        n.put("keyId", k.keyId());
        n.put("arn", k.arn());
        n.put("awsManaged", k.awsManaged());
        putInstant(n, "creationDate", k.creationDate());
        putText(n, "description", k.description());
        n.put("keySpec", "SYMMETRIC_DEFAULT");
        n.put("keyUsage", "ENCRYPT_DECRYPT");
        n.put("keyState", k.state().name());
        putInstant(n, "readyAt", k.readyAt());
        putInstant(n, "deletionDate", k.deletionDate());
        if (k.pendingWindowDays() != 0) n.put("pendingWindowDays", k.pendingWindowDays());
        n.put("material", B64.encodeToString(k.material()));
        putText(n, "policy", k.policy());
        ObjectNode tags = n.putObject("tags");
        if (k.tags() != null) k.tags().forEach(tags::put);
        if (k.multiRegion() != null) {
            ObjectNode mr = n.putObject("multiRegion");
            mr.put("primaryRegion", k.multiRegion().primaryRegion());
            ArrayNode members = mr.putArray("members");
            k.multiRegion().members().forEach((region, gone) -> {
                ObjectNode m = members.addObject().put("region", region);
                putInstant(m, "deletedAt", gone);
            });
        }
        return n;
    }

    /** Reads a KMS key; its policy must compile. */
    public static KeyRecord key(JsonNode n, String where) {
        requireObject(n, where);
        String w = where + ".";
        String account = reqText(n, "account", w);
        if (!account.matches("\\d{12}")) throw new BadDocument(w + "account: not a 12-digit account id: " + account);
        String region = reqText(n, "region", w);
        String keyId = reqText(n, "keyId", w);
        String spec = optText(n, "keySpec", w);
        if (spec != null && !spec.equals("SYMMETRIC_DEFAULT")) throw new BadDocument(w + "keySpec: only SYMMETRIC_DEFAULT is supported, was " + spec);
        String usage = optText(n, "keyUsage", w);
        if (usage != null && !usage.equals("ENCRYPT_DECRYPT")) throw new BadDocument(w + "keyUsage: only ENCRYPT_DECRYPT is supported, was " + usage);
        KeyState state;
        String stateText = optText(n, "keyState", w);
        try {
            state = stateText == null ? KeyState.Enabled : KeyState.valueOf(stateText);
        } catch (IllegalArgumentException e) {
            throw new BadDocument(w + "keyState: not a key state: " + stateText);
        }
        byte[] material = base64(reqText(n, "material", w), w + "material");
        if (material.length != 32) throw new BadDocument(w + "material: must be 32 bytes (AES-256), was " + material.length);
        String policy = reqText(n, "policy", w);
        try {
            Policy.compile(policy, Policy.Kind.RESOURCE);
        } catch (Policy.Invalid e) {
            throw new BadDocument(w + "policy: " + e.getMessage());
        }
        Map<String, String> tags = new TreeMap<>();
        JsonNode tn = n.get("tags");
        if (tn != null && !tn.isNull()) {
            requireObject(tn, w + "tags");
            for (Iterator<Map.Entry<String, JsonNode>> it = tn.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) throw new BadDocument(w + "tags." + e.getKey() + ": not a string");
                tags.put(e.getKey(), e.getValue().textValue());
            }
        }
        Instant readyAt = optInstant(n, "readyAt", w);
        Instant deletionDate = optInstant(n, "deletionDate", w);
        if (state == KeyState.Creating && readyAt == null) throw new BadDocument(w + "readyAt: a Creating key needs readyAt");
        if (state == KeyState.PendingDeletion && deletionDate == null) {
            throw new BadDocument(w + "deletionDate: a key PendingDeletion needs deletionDate");
        }
        JsonNode days = n.get("pendingWindowDays");
        if (days != null && !days.isNull() && !days.canConvertToInt()) throw new BadDocument(w + "pendingWindowDays: not a number");
        KeyRecord.MultiRegion mr = null;
        JsonNode mn = n.get("multiRegion");
        if (mn != null && !mn.isNull()) {
            requireObject(mn, w + "multiRegion");
            String primary = reqText(mn, "primaryRegion", w + "multiRegion.");
            Map<String, Instant> members = new LinkedHashMap<>();
            JsonNode ms = mn.get("members");
            requireArray(ms, w + "multiRegion.members");
            for (int i = 0; i < ms.size(); i++) {
                String mw = w + "multiRegion.members[" + i + "]";
                requireObject(ms.get(i), mw);
                members.put(reqText(ms.get(i), "region", mw + "."), optInstant(ms.get(i), "deletedAt", mw + "."));
            }
            if (!members.containsKey(region)) throw new BadDocument(w + "multiRegion.members: does not list the key's own region " + region);
            mr = new KeyRecord.MultiRegion(primary, members);
        }
        return new KeyRecord(account, region, keyId, material, optBool(n, "awsManaged", w, false),
                reqInstant(n, "creationDate", w), optText(n, "description", w), policy, tags, state, readyAt,
                deletionDate, days == null || days.isNull() ? 0 : days.intValue(), mr);
    }

    public static ObjectNode alias(AliasRecord a) {
        ObjectNode n = NODES.objectNode();
        n.put("account", a.account());
        n.put("region", a.region());
        n.put("aliasName", a.name());
        n.put("targetKeyId", a.targetKeyId());
        putInstant(n, "creationDate", a.created());
        putInstant(n, "lastUpdatedDate", a.updated());
        return n;
    }

    public static AliasRecord alias(JsonNode n, String where) {
        requireObject(n, where);
        String w = where + ".";
        String name = reqText(n, "aliasName", w);
        if (!name.startsWith("alias/")) throw new BadDocument(w + "aliasName: must begin with alias/: " + name);
        Instant created = reqInstant(n, "creationDate", w);
        Instant updated = optInstant(n, "lastUpdatedDate", w);
        return new AliasRecord(reqText(n, "account", w), reqText(n, "region", w), name, reqText(n, "targetKeyId", w),
                created, updated == null ? created : updated);
    }

    // =============================================================================================
    // Principals, functions, faults, replication settings, clock
    // =============================================================================================

    /** A declared principal, its secret access key included (it is state). */
    public static ObjectNode principal(Principals.Declared p) {
        ObjectNode n = NODES.objectNode();
        n.put("accessKeyId", p.accessKeyId());
        n.put("arn", p.arn());
        putText(n, "secretAccessKey", p.secretAccessKey());
        putText(n, "policy", p.policy());
        return n;
    }

    public static Principals.Declared principal(JsonNode n, String where) {
        requireObject(n, where);
        String w = where + ".";
        String key = reqText(n, "accessKeyId", w);
        Principals.Declared d;
        try {
            d = Principals.parseOne(key, n);
        } catch (IllegalArgumentException e) {
            throw new BadDocument(where + ": " + e.getMessage());
        }
        if (!Principal.isValidArn(d.arn())) throw new BadDocument(w + "arn: not a root, role or user ARN: " + d.arn());
        if (d.policy() != null) {
            try {
                Policy.compile(d.policy(), Policy.Kind.IDENTITY);
            } catch (Policy.Invalid e) {
                throw new BadDocument(w + "policy: " + e.getMessage());
            }
        }
        return d;
    }

    public static ObjectNode function(Function f) {
        return NODES.objectNode().put("name", f.name()).put("url", f.url().toString());
    }

    public static Function function(JsonNode n, String where) {
        requireObject(n, where);
        String w = where + ".";
        String name = reqText(n, "name", w);
        String url = reqText(n, "url", w);
        try {
            URI u = URI.create(url.trim());
            if (!u.isAbsolute() || u.getHost() == null) throw new IllegalArgumentException("not an absolute URL");
            return new Function(name, u);
        } catch (IllegalArgumentException e) {
            throw new BadDocument(w + "url: not an absolute http(s) URL: " + url);
        }
    }

    /** A fault rule in the admin API's JSON form, {@code count} being the uses left. */
    public static ObjectNode fault(Fault f) {
        FaultRule r = f.rule();
        ObjectNode n = NODES.objectNode();
        putText(n, "id", r.id());
        putText(n, "name", r.name());
        n.put("action", r.action());
        putText(n, "region", r.region());
        putText(n, "operation", r.operation());
        putText(n, "account", r.account());
        putText(n, "from", r.from());
        putText(n, "to", r.to());
        n.put("probability", r.probability());
        if (f.remaining() != null) n.put("count", f.remaining());
        ObjectNode attrs = n.putObject("attributes");
        new TreeMap<>(r.attributes()).forEach(attrs::put);
        return n;
    }

    /**
     * Reads a fault rule in the admin API's JSON form ({@code action}, {@code region},
     * {@code operation}, {@code account}, {@code from}, {@code to}, {@code probability}, {@code count},
     * {@code attributes} and the attribute shorthands {@code errorType}, {@code message},
     * {@code millis}, {@code mode}, {@code timeoutMillis}).
     */
    public static Fault fault(JsonNode n, String where) {
        requireObject(n, where);
        String w = where + ".";
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode an = n.get("attributes");
        if (an != null && !an.isNull()) {
            requireObject(an, w + "attributes");
            an.fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        }
        for (String k : new String[] {"errorType", "message", "millis", "mode", "timeoutMillis"}) {
            if (n.hasNonNull(k)) attributes.put(k, n.get(k).asText());
        }
        String action = optText(n, "action", w);
        if (action == null) action = optText(n, "type", w);
        if (action == null) throw new BadDocument(w + "action: missing");
        JsonNode p = n.get("probability");
        if (p != null && !p.isNull() && !p.isNumber()) throw new BadDocument(w + "probability: not a number");
        JsonNode c = n.get("count");
        if (c != null && !c.isNull() && !c.canConvertToInt()) throw new BadDocument(w + "count: not a number");
        Integer count = c == null || c.isNull() ? null : c.intValue();
        try {
            FaultRule rule = new FaultRule(optText(n, "id", w), optText(n, "name", w), action, optText(n, "region", w),
                    optText(n, "operation", w), optText(n, "account", w), optText(n, "from", w), optText(n, "to", w),
                    p == null || p.isNull() ? 1.0 : p.doubleValue(), count, attributes);
            return new Fault(rule, count);
        } catch (IllegalArgumentException e) {
            throw new BadDocument(where + ": " + e.getMessage());
        }
    }

    public static ObjectNode replication(Duration defaultLag, List<Replicator.Route> routes) {
        ObjectNode n = NODES.objectNode();
        if (defaultLag != null) n.put("defaultLag", defaultLag.toString());
        ArrayNode rs = n.putArray("routes");
        for (Replicator.Route r : routes) rs.addObject().put("from", r.from()).put("to", r.to()).put("lag", r.lag().toString());
        return n;
    }

    private static List<Replicator.Route> routes(JsonNode rs, String where) {
        List<Replicator.Route> out = new ArrayList<>();
        if (rs == null || rs.isNull()) return out;
        requireArray(rs, where);
        for (int i = 0; i < rs.size(); i++) {
            String w = where + "[" + i + "]";
            requireObject(rs.get(i), w);
            Duration lag = optDuration(rs.get(i), "lag", w + ".");
            if (lag == null) throw new BadDocument(w + ".lag: missing");
            out.add(new Replicator.Route(reqText(rs.get(i), "from", w + "."), reqText(rs.get(i), "to", w + "."), lag));
        }
        return out;
    }

    public static ObjectNode clock(Clock c) {
        ObjectNode n = NODES.objectNode();
        n.put("mode", c.mode().name().toLowerCase());
        if (c.mode() == EmulatorClock.Mode.MANUAL) putInstant(n, "now", c.now());
        return n;
    }

    public static Clock clock(JsonNode n, String where) {
        requireObject(n, where);
        String mode = reqText(n, "mode", where + ".");
        if (mode.equals("system")) return new Clock(EmulatorClock.Mode.SYSTEM, null);
        if (!mode.equals("manual")) throw new BadDocument(where + ".mode: must be manual or system, was " + mode);
        return new Clock(EmulatorClock.Mode.MANUAL, reqInstant(n, "now", where + "."));
    }

    // =============================================================================================
    // Field helpers: every error names the field
    // =============================================================================================

    @FunctionalInterface
    private interface Item {
        void read(JsonNode n, String where);
    }

    private static void forEach(JsonNode d, String field, Item item) {
        JsonNode a = d.get(field);
        if (a == null || a.isNull()) return;
        requireArray(a, field);
        for (int i = 0; i < a.size(); i++) item.read(a.get(i), field + "[" + i + "]");
    }

    private static void requireObject(JsonNode n, String where) {
        if (n == null || !n.isObject()) throw new BadDocument(where + ": must be a JSON object");
    }

    private static void requireArray(JsonNode n, String where) {
        if (n == null || !n.isArray()) throw new BadDocument(where + ": must be a JSON array");
    }

    private static String reqText(JsonNode n, String field, String w) {
        String s = optText(n, field, w);
        if (s == null) throw new BadDocument(w + field + ": missing");
        return s;
    }

    private static String optText(JsonNode n, String field, String w) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new BadDocument(w + field + ": not a string");
        return v.textValue();
    }

    private static boolean optBool(JsonNode n, String field, String w, boolean dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isBoolean()) throw new BadDocument(w + field + ": not true or false");
        return v.booleanValue();
    }

    private static Instant reqInstant(JsonNode n, String field, String w) {
        Instant t = optInstant(n, field, w);
        if (t == null) throw new BadDocument(w + field + ": missing");
        return t;
    }

    private static Instant optInstant(JsonNode n, String field, String w) {
        String s = optText(n, field, w);
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new BadDocument(w + field + ": not an ISO-8601 instant: " + s);
        }
    }

    private static Duration optDuration(JsonNode n, String field, String w) {
        String s = optText(n, field, w);
        if (s == null) return null;
        try {
            Duration d = Duration.parse(s);
            if (d.isNegative()) throw new BadDocument(w + field + ": must not be negative: " + s);
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw new BadDocument(w + field + ": not an ISO-8601 duration: " + s);
        }
    }

    private static byte[] base64(String s, String where) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new BadDocument(where + ": not base64");
        }
    }

    private static void putText(ObjectNode n, String field, String value) {
        if (value != null) n.put(field, value);
    }

    private static void putInstant(ObjectNode n, String field, Instant value) {
        if (value != null) n.put(field, value.toString());
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
