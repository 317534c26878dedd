package dev.smlocal.server.observe;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters rendered as Prometheus text. Label values are region, operation and outcome names only. */
public final class Metrics {
    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();

    /** {@code name{labels}} incremented by one; labels as {@code k1, v1, k2, v2...}. */
    public void inc(String name, String... labels) {
        add(name, 1, labels);
    }

    public void add(String name, long amount, String... labels) {
        counter(name, labels).add(amount);
    }

    /**
     * The counter {@code name{labels}} itself, for a caller that keeps it to count without building
     * the series key per event. A kept counter is valid until {@link #reset()}: compare
     * {@link #generation()} before using it.
     */
    public LongAdder counter(String name, String... labels) {
        return counters.computeIfAbsent(key(name, labels), k -> new LongAdder());
    }

    /** Changes at every {@link #reset()} (after the counters are dropped). */
    public long generation() {
        return generation;
    }

    private volatile long generation;

    public long get(String name, String... labels) {
        LongAdder a = counters.get(key(name, labels));
        return a == null ? 0 : a.sum();
    }

    private static String key(String name, String... labels) {
        if (labels.length == 0) return name;
        StringBuilder sb = new StringBuilder(name).append('{');
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (i > 0) sb.append(',');
            sb.append(labels[i]).append("=\"").append(labels[i + 1].replace("\"", "")).append('"');
        }
        return sb.append('}').toString();
    }

    /** Every counter whose name is {@code name}, keyed by its labels ({@code k1="v1",k2="v2"}; "" for none). */
    public Map<String, Long> series(String name) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> {
            if (k.equals(name)) out.put("", v.sum());
            else if (k.startsWith(name + "{")) out.put(k.substring(name.length() + 1, k.length() - 1), v.sum());
        });
        return out;
    }

    public String prometheus() {
        Map<String, Long> sorted = new TreeMap<>();
        counters.forEach((k, v) -> sorted.put(k, v.sum()));
        StringBuilder sb = new StringBuilder();
        String lastName = null;
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            String name = e.getKey().contains("{") ? e.getKey().substring(0, e.getKey().indexOf('{')) : e.getKey();
            if (!name.equals(lastName)) {
                sb.append("# TYPE ").append(name).append(" counter\n");
                lastName = name;
            }
            sb.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    public synchronized void reset() {
        counters.clear();
        generation++;
    }
}
