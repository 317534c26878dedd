package dev.smlocal.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.smlocal.server.secrets.Sorting.SortKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SortingTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static Instant t(int days) {
        return T0.plusSeconds(86_400L * days);
    }

    // name, created, accessed (null = never), changed
    private final SortKey a = new SortKey("alpha", "arn:a", t(3), null, t(9));
    private final SortKey b = new SortKey("Beta", "arn:b", t(1), t(5), t(4));
    private final SortKey c = new SortKey("charlie", "arn:c", t(2), t(7), t(6));
    private final SortKey d = new SortKey("delta", "arn:d", t(4), null, t(1));
    private final List<SortKey> all = List.of(a, b, c, d);

    private List<String> sorted(String by, String order) {
        List<SortKey> copy = new ArrayList<>(all);
        copy.sort(Sorting.comparator(by, order));
        return copy.stream().map(SortKey::name).toList();
    }

    @Test
    void defaultIsCreatedDateOldestFirst() {
        assertEquals(List.of("Beta", "charlie", "alpha", "delta"), sorted(null, null));
        assertEquals(sorted(null, null), sorted("created-date", "asc"));
        assertEquals(sorted(null, null), sorted("created-date", null));
        assertEquals(sorted(null, "asc"), sorted(null, null));
    }

    @Test
    void createdDateDescending() {
        assertEquals(List.of("delta", "alpha", "charlie", "Beta"), sorted("created-date", "desc"));
        assertEquals(sorted("created-date", "desc"), sorted(null, "desc"));
    }

    @Test
    void lastChangedDate() {
        assertEquals(List.of("delta", "Beta", "charlie", "alpha"), sorted("last-changed-date", "asc"));
        assertEquals(List.of("alpha", "charlie", "Beta", "delta"), sorted("last-changed-date", "desc"));
    }

    @Test
    void neverAccessedSortsLastInBothOrders() {
        assertEquals(List.of("Beta", "charlie", "alpha", "delta"), sorted("last-accessed-date", "asc"));
        assertEquals(List.of("charlie", "Beta", "alpha", "delta"), sorted("last-accessed-date", "desc"));
    }

    @Test
    void nameIsCaseSensitiveCodeUnitOrder() {
        assertEquals(List.of("Beta", "alpha", "charlie", "delta"), sorted("name", "asc"));
        assertEquals(List.of("delta", "charlie", "alpha", "Beta"), sorted("name", "desc"));
    }

    @Test
    void tiesBreakByNameThenArnAscending() {
        SortKey x1 = new SortKey("x", "arn:2", T0, null, T0);
        SortKey x2 = new SortKey("x", "arn:1", T0, null, T0);
        SortKey w = new SortKey("w", "arn:3", T0, null, T0);
        for (String order : new String[] {"asc", "desc"}) {
            for (String by : new String[] {"created-date", "last-accessed-date", "last-changed-date"}) {
                List<SortKey> list = new ArrayList<>(List.of(x1, x2, w));
                list.sort(Sorting.comparator(by, order));
                assertEquals(List.of(w, x2, x1), list, by + " " + order);
            }
        }
        List<SortKey> list = new ArrayList<>(List.of(x1, w, x2));
        list.sort(Sorting.comparator("name", "desc"));
        assertEquals(List.of(x2, x1, w), list);
    }

    @Test
    void adapterVariantReadsThroughTheFunction() {
        record Stored(String id, SortKey keys) {}
        List<Stored> list = new ArrayList<>(List.of(new Stored("1", a), new Stored("2", b)));
        Comparator<Stored> cmp = Sorting.comparator("name", "asc", Stored::keys);
        list.sort(cmp);
        assertEquals("2", list.get(0).id());
    }

    @Test
    void unknownValuesAreProgrammingErrors() {
        assertThrows(IllegalArgumentException.class, () -> Sorting.comparator("size", null));
        assertThrows(IllegalArgumentException.class, () -> Sorting.comparator(null, "ASC"));
    }
}
