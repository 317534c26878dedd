package dev.smlocal.server.secrets;

import java.time.Instant;
import java.util.Comparator;
import java.util.function.Function;

/**
 * Order of ListSecrets results for {@code SortBy} / {@code SortOrder}.
 *
 * <ul>
 *   <li>{@code SortBy} {@code null} means {@code created-date}; {@code SortOrder} {@code null} means
 *       {@code asc} for every key (for created-date that is oldest first, as observed on AWS).
 *   <li>A missing date (never accessed) sorts after every present date, in both orders.
 *   <li>Ties are broken by name, then ARN, both ascending whatever the order, so the result is total
 *       and deterministic.
 *   <li>Names compare by UTF-16 code unit ({@link String#compareTo}), i.e. case-sensitively.
 * </ul>
 */
public final class Sorting {
    private Sorting() {}

    public static final String CREATED_DATE = "created-date";
    public static final String LAST_ACCESSED_DATE = "last-accessed-date";
    public static final String LAST_CHANGED_DATE = "last-changed-date";
    public static final String NAME = "name";
    public static final String ASC = "asc";
    public static final String DESC = "desc";

    /** What the ordering reads from a secret; adapt the stored secret to this. */
    public interface Sortable {
        String name();

        String arn();

        Instant createdDate();

        /** {@code null} if the secret was never read. */
        Instant lastAccessedDate();

        Instant lastChangedDate();
    }

    /** A plain {@link Sortable}. */
    public record SortKey(String name, String arn, Instant createdDate, Instant lastAccessedDate,
            Instant lastChangedDate) implements Sortable {}

    /**
     * Comparator for the wire values of {@code SortBy} and {@code SortOrder} ({@code null} = default).
     * Values outside the model's enums are a programming error ({@link IllegalArgumentException}).
     */
    public static <T extends Sortable> Comparator<T> comparator(String sortBy, String sortOrder) {
        return comparator(sortBy, sortOrder, t -> t);
    }

    /** As {@link #comparator(String, String)}, reading the keys through {@code adapter}. */
    public static <T> Comparator<T> comparator(String sortBy, String sortOrder,
            Function<? super T, ? extends Sortable> adapter) {
        boolean descending = descending(sortOrder);
        Comparator<Sortable> primary;
        String by = sortBy == null ? CREATED_DATE : sortBy;
        switch (by) {
            case CREATED_DATE:
                primary = byDate(Sortable::createdDate, descending);
                break;
            case LAST_ACCESSED_DATE:
                primary = byDate(Sortable::lastAccessedDate, descending);
                break;
            case LAST_CHANGED_DATE:
                primary = byDate(Sortable::lastChangedDate, descending);
                break;
            case NAME:
                Comparator<String> names = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
                primary = Comparator.comparing(Sortable::name, Comparator.nullsLast(names));
                break;
            default:
                throw new IllegalArgumentException(sortBy);
        }
        Comparator<Sortable> full = primary
                .thenComparing(Sortable::name, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Sortable::arn, Comparator.nullsLast(Comparator.naturalOrder()));
        return (a, b) -> full.compare(adapter.apply(a), adapter.apply(b));
    }

    private static boolean descending(String sortOrder) {
        if (sortOrder == null || sortOrder.equals(ASC)) {
            return false;
        }
        if (sortOrder.equals(DESC)) {
            return true;
        }
        throw new IllegalArgumentException(sortOrder);
    }

    private static Comparator<Sortable> byDate(Function<Sortable, Instant> date, boolean descending) {
        Comparator<Instant> order = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        return Comparator.comparing(date, Comparator.nullsLast(order));
    }
}
