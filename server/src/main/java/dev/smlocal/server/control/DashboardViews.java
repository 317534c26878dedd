package dev.smlocal.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.faults.FaultJson;
import dev.smlocal.server.faults.FaultRule;
import dev.smlocal.server.kms.KeyInfo;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.secrets.SecretsApi.ReplicationStatusEntry;
import dev.smlocal.server.secrets.SecretViews.SecretSummary;
import dev.smlocal.server.secrets.SecretViews.SecretView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The dashboard's read-only views ({@code estate}, {@code estate/secret}) computed from the
 * emulator's parts: documents for a page, so JSON rather than records.
 */
final class DashboardViews {
    /** The events of one secret shown at most. */
    static final int MAX_SECRET_EVENTS = 500;

    /** What the views read: the estate as one snapshot of summaries, the key lookups, the events. */
    interface Source {
        EmulatorControl.ClockState clock();

        List<String> regions();

        List<SecretSummary> summaries();

        SecretView view(String account, String region, String name);

        List<FaultRule> faults();

        List<KeyInfo> allKeys();

        /** The key {@code ref} names in (account, region); throws when there is none. */
        KeyInfo resolveKey(String account, String region, String ref);

        List<Event> events();
    }

    private DashboardViews() {}

    /**
     * One row per secret (its primary), with its replicas across regions; filtered by account,
     * region (the primary's or a replica's), name substring and replica status; sorted by account
     * and name; one page of it. Also the accounts × regions grid with counts and outages.
     */
    static ObjectNode estate(Source e, EmulatorControl.EstateQuery query) {
        String account = query.account();
        String region = query.region();
        String q = query.q();
        String status = query.status();
        int offset = query.offset();
        int limit = query.limit();
        List<SecretSummary> all = e.summaries();
        Map<String, Row> rows = new TreeMap<>();
        Map<String, Map<String, Integer>> grid = new TreeMap<>();
        List<SecretSummary> replicaCopies = new ArrayList<>();
        for (SecretSummary s : all) {
            grid.computeIfAbsent(s.account(), k -> new TreeMap<>()).merge(s.region(), 1, Integer::sum);
            if (isPrimary(s)) rows.put(rowKey(s.account(), s.name(), s.region()), new Row(s));
            else replicaCopies.add(s);
        }
        for (SecretSummary r : replicaCopies) {
            Row row = rows.get(rowKey(r.account(), r.name(), r.primaryRegion()));
            if (row != null) row.copies.put(r.region(), r);
        }
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
        List<Row> matched = new ArrayList<>();
        for (Row row : rows.values()) {
            SecretSummary p = row.primary;
            if (account != null && !account.equals(p.account())) continue;
            if (region != null && !region.equals(p.region()) && !hasReplicaIn(p, region)) continue;
            if (needle != null && !p.name().toLowerCase(Locale.ROOT).contains(needle)) continue;
            if (status != null && (p.replicationStatus() == null
                    || p.replicationStatus().stream().noneMatch(x -> status.equals(x.status())))) continue;
            matched.add(row);
        }
        matched.sort(Comparator.comparing((Row r) -> r.primary.account()).thenComparing(r -> r.primary.name())
                .thenComparing(r -> r.primary.region()));

        ObjectNode n = ControlJson.MAPPER.createObjectNode();
        n.set("clock", ControlJson.MAPPER.valueToTree(e.clock()));
        ArrayNode regions = n.putArray("regions");
        e.regions().forEach(regions::add);
        Map<String, ObjectNode> outages = new LinkedHashMap<>();
        for (FaultRule f : e.faults()) {
            ObjectNode rule = FaultJson.render(f);
            if (rule.path("action").asText().equals("outage")) outages.putIfAbsent(rule.path("region").asText(), rule);
        }
        ArrayNode out = n.putArray("outages");
        outages.values().forEach(f -> out.addObject().put("region", f.path("region").asText())
                .put("id", f.path("id").asText()).put("mode", f.path("attributes").path("mode").asText("503")));
        ArrayNode accounts = n.putArray("accounts");
        grid.keySet().forEach(accounts::add);
        ArrayNode cells = n.putArray("grid");
        grid.forEach((acct, byRegion) -> byRegion.forEach((reg, count) ->
                cells.addObject().put("account", acct).put("region", reg).put("secrets", count)));
        n.put("totalSecrets", rows.size());
        n.put("matched", matched.size());
        n.put("offset", offset);
        n.put("limit", limit);

        List<KeyInfo> keys = e.allKeys();
        ArrayNode list = n.putArray("rows");
        for (int i = offset; i < matched.size() && i < (long) offset + limit; i++) {
            list.add(row(e, matched.get(i), keys));
        }
        return n;
    }

    private static boolean isPrimary(SecretSummary s) {
        return s.primaryRegion() == null || s.primaryRegion().equals(s.region());
    }

    private static boolean hasReplicaIn(SecretSummary p, String region) {
        return p.replicationStatus() != null && p.replicationStatus().stream().anyMatch(r -> region.equals(r.region()));
    }

    private static String rowKey(String account, String name, String primaryRegion) {
        return account + "\u0000" + name + "\u0000" + primaryRegion;
    }

    private static final class Row {
        final SecretSummary primary;
        final Map<String, SecretSummary> copies = new TreeMap<>();

        Row(SecretSummary primary) {
            this.primary = primary;
        }
    }

    private static ObjectNode row(Source e, Row row, List<KeyInfo> keys) {
        SecretSummary p = row.primary;
        ObjectNode o = summary(p);
        o.set("kmsKey", key(e, p.account(), p.region(), p.kmsKeyId(), keys));
        ArrayNode replicas = o.putArray("replicas");
        if (p.replicationStatus() != null) {
            for (ReplicationStatusEntry r : p.replicationStatus()) {
                ObjectNode x = replicas.addObject().put("region", r.region()).put("status", r.status());
                if (r.statusMessage() != null) x.put("statusMessage", r.statusMessage());
                x.set("kmsKey", key(e, p.account(), r.region(), r.kmsKeyId(), keys));
                SecretSummary copy = row.copies.get(r.region());
                x.put("present", copy != null);
                if (copy != null && copy.lastChangedDate() != null) x.put("lastChangedDate", copy.lastChangedDate().toString());
            }
        }
        return o;
    }

    private static ObjectNode summary(SecretSummary p) {
        ObjectNode o = ControlJson.MAPPER.createObjectNode();
        o.put("account", p.account()).put("region", p.region()).put("name", p.name()).put("arn", p.arn());
        o.put("deleted", p.deleted()).put("versions", p.versions());
        if (p.createdDate() != null) o.put("createdDate", p.createdDate().toString());
        if (p.lastChangedDate() != null) o.put("lastChangedDate", p.lastChangedDate().toString());
        o.put("rotationEnabled", p.rotationEnabled());
        if (p.lastRotatedDate() != null) o.put("lastRotatedDate", p.lastRotatedDate().toString());
        if (p.nextRotationDate() != null) o.put("nextRotationDate", p.nextRotationDate().toString());
        return o;
    }

    /**
     * A key reference as the page shows it: the reference, and when it names an existing key, that
     * key's id, state and, for a multi-Region key, the regions holding a key with the same id.
     */
    private static ObjectNode key(Source e, String account, String region, String ref, List<KeyInfo> keys) {
        ObjectNode k = ControlJson.MAPPER.createObjectNode();
        String shown = ref == null ? "alias/aws/secretsmanager" : ref;
        k.put("ref", shown);
        if (ref == null || ref.startsWith("alias/aws/")) {
            k.put("awsManaged", true);
            return k;
        }
        KeyInfo info;
        try {
            info = e.resolveKey(account, region, ref);
        } catch (RuntimeException notThere) {
            k.put("missing", true);
            return k;
        }
        k.put("keyId", info.keyId()).put("arn", info.arn()).put("state", String.valueOf(info.state()))
                .put("awsManaged", info.awsManaged()).put("multiRegion", info.multiRegion());
        if (info.multiRegion()) {
            TreeSet<String> regions = new TreeSet<>();
            for (KeyInfo other : keys) {
                if (other.keyId().equals(info.keyId()) && other.account().equals(info.account())) regions.add(other.region());
            }
            ArrayNode r = k.putArray("mrkRegions");
            regions.forEach(r::add);
        }
        return k;
    }

    /** One secret: its metadata, versions and stages, policy, and the events that name it (oldest first); null when none. */
    static JsonNode secret(Source e, String account, String region, String name) {
        SecretView v = e.view(account, region, name);
        if (v == null) return null;
        ObjectNode n = summary(v.summary());
        n.set("kmsKey", key(e, account, region, v.summary().kmsKeyId(), e.allKeys()));
        if (v.description() != null) n.put("description", v.description());
        if (v.resourcePolicy() != null) n.put("resourcePolicy", v.resourcePolicy());
        if (v.rotationLambdaArn() != null) n.put("rotationLambdaArn", v.rotationLambdaArn());
        if (v.rotationSchedule() != null) n.put("rotationSchedule", v.rotationSchedule());
        n.set("replicationStatus", ControlJson.MAPPER.valueToTree(
                v.summary().replicationStatus() == null ? List.of() : v.summary().replicationStatus()));
        n.set("versions", ControlJson.MAPPER.valueToTree(v.versions()));
        String arn = v.summary().arn();
        List<Event> mine = new ArrayList<>();
        for (Event ev : e.events()) {
            if (!account.equals(ev.recipientAccountId()) || ev.requestParameters() == null) continue;
            if (names(ev.requestParameters(), arn, name, region, ev.awsRegion())) mine.add(ev);
        }
        if (mine.size() > MAX_SECRET_EVENTS) mine = mine.subList(mine.size() - MAX_SECRET_EVENTS, mine.size());
        n.set("events", ControlJson.MAPPER.valueToTree(mine));
        return n;
    }

    /** Whether an event's parameters name this secret: by ARN anywhere, by name only in its own region. */
    private static boolean names(Map<String, Object> params, String arn, String name, String region, String eventRegion) {
        for (Map.Entry<String, Object> p : params.entrySet()) {
            if (!(p.getValue() instanceof String s)) continue;
            if (s.equals(arn)) return true;
            String k = p.getKey();
            if (s.equals(name) && region.equals(eventRegion)
                    && (k.equals("SecretId") || k.equals("Name") || k.equals("secretId"))) return true;
        }
        return false;
    }
}
