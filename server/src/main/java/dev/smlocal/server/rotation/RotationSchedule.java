package dev.smlocal.server.rotation;

import dev.smlocal.server.aws.Errors;
import dev.smlocal.server.secrets.RotationRules;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret's rotation schedule (its RotationRules) and the rotation windows it opens, in UTC, as
 * Secrets Manager documents them:
 * <ul>
 *   <li>{@code AutomaticallyAfterDays: N} and {@code rate(N days)} (N 1..1000 / 1..999): a window
 *       opens at midnight N days after the day of the previous rotation and by default closes at
 *       the end of that day. A manual PutSecretValue / UpdateSecret counts as a rotation.</li>
 *   <li>{@code rate(N hours)} (N 4..23): windows open at midnight and every N hours after it; the
 *       grid starts again each day. Default window: one hour.</li>
 *   <li>{@code cron(0 H DOM MON DOW *)}: windows open at the matching hours (minutes must be 0,
 *       year must be {@code *}, exactly one of day-of-month and day-of-week is {@code ?}; hour
 *       increments start again each day). A cron matching several hours a day is a schedule in
 *       hours (default window one hour), otherwise in days (default window: rest of the day).</li>
 *   <li>{@code Duration: Nh} sets the window length; a window must not reach into the next window
 *       or the next UTC day.</li>
 * </ul>
 * DescribeSecret's NextRotationDate is the last second of the next window (AWS shows e.g.
 * {@code 2026-02-21T23:59:59Z} for a day schedule). smlocal rotates when a window opens.
 */
public final class RotationSchedule {
    /** One rotation window, [start, end). */
    public record Window(Instant start, Instant end) {
        /** The NextRotationDate AWS reports for this window: its last second. */
        public Instant nextRotationDate() {
            return end.minusSeconds(1);
        }
    }

    private enum Kind { DAYS, HOURS, CRON }

    private static final Pattern RATE = Pattern.compile("rate\\((\\d{1,4}) (hours?|days?)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,3})h");

    private final Kind kind;
    private final int every;
    private final Cron cron;
    private final Integer windowHours;

    private RotationSchedule(Kind kind, int every, Cron cron, Integer windowHours) {
        this.kind = kind;
        this.every = every;
        this.cron = cron;
        this.windowHours = windowHours;
    }

    /**
     * The schedule of {@code rules}, checked; null when the rules set no schedule at all (absent or
     * empty). Throws AWS's InvalidParameterException for anything Secrets Manager refuses.
     */
    public static RotationSchedule of(RotationRules rules) {
        if (rules == null) return null;
        Long days = rules.automaticallyAfterDays();
        String expr = rules.scheduleExpression();
        String duration = rules.duration();
        if (days == null && expr == null && duration == null) return null;
        if (days != null && expr != null) throw Errors.rotationFrequencyAndSchedule();
        if (days == null && expr == null) throw Errors.rotationScheduleRequired();
        Integer window = duration == null ? null : parseDuration(duration);
        RotationSchedule s;
        if (days != null) {
            if (days < 1 || days > 1000) throw Errors.automaticallyAfterDaysRange();
            s = new RotationSchedule(Kind.DAYS, days.intValue(), null, window);
        } else {
            s = parseExpression(expr, window);
        }
        s.checkWindow(duration);
        return s;
    }

    /** Whether windows count from the previous rotation (day schedules), so a manual write moves them. */
    public boolean countsFromLastRotation() {
        return kind == Kind.DAYS;
    }

    /**
     * The first window opening strictly after {@code now}. Day schedules count from the day of
     * {@code lastRotation} (null: from {@code now}) in steps of N days; hour and cron schedules
     * are fixed grids.
     */
    public Window nextAfter(Instant lastRotation, Instant now) {
        switch (kind) {
            case DAYS: {
                Instant base = day(lastRotation == null ? now : lastRotation);
                Duration step = Duration.ofDays(every);
                Instant start = base.plus(step);
                if (!start.isAfter(now)) {
                    long k = Duration.between(base, now).toDays() / every + 1;
                    start = base.plus(step.multipliedBy(k));
                    while (!start.isAfter(now)) start = start.plus(step);
                }
                return window(start, 24);
            }
            case HOURS: {
                Instant d = day(now);
                while (true) {
                    for (int h = 0; h < 24; h += every) {
                        Instant start = d.plus(Duration.ofHours(h));
                        if (start.isAfter(now)) return window(start, 1);
                    }
                    d = d.plus(Duration.ofDays(1));
                }
            }
            default: {
                Window w = cron.next(now, this);
                if (w == null) throw new IllegalStateException("cron schedule never matches: " + cron.text);
                return w;
            }
        }
    }

    private Window window(Instant start, int defaultHours) {
        return new Window(start, start.plus(Duration.ofHours(windowHours != null ? windowHours : defaultHours)));
    }

    private static Instant day(Instant t) {
        return t.truncatedTo(ChronoUnit.DAYS);
    }

    private static int parseDuration(String d) {
        Matcher m = DURATION.matcher(d);
        if (!m.matches()) throw Errors.invalidRotationWindow(d, "it must be a number of hours such as 3h");
        int h = Integer.parseInt(m.group(1));
        if (h < 1 || h > 24) throw Errors.invalidRotationWindow(d, "it must be between 1h and 24h");
        return h;
    }

    private static RotationSchedule parseExpression(String expr, Integer window) {
        Matcher rate = RATE.matcher(expr);
        if (rate.matches()) {
            int n = Integer.parseInt(rate.group(1));
            if (rate.group(2).startsWith("hour")) {
                if (n < 4 || n > 23) {
                    throw Errors.invalidScheduleExpression(expr, "a rate in hours must be between 4 and 23 hours");
                }
                return new RotationSchedule(Kind.HOURS, n, null, window);
            }
            if (n < 1 || n > 999) throw Errors.invalidScheduleExpression(expr, "a rate in days must be between 1 and 999 days");
            return new RotationSchedule(Kind.DAYS, n, null, window);
        }
        Matcher cron = CRON.matcher(expr);
        if (cron.matches()) {
            try {
                return new RotationSchedule(Kind.CRON, 0, Cron.parse(expr, cron.group(1)), window);
            } catch (IllegalArgumentException e) {
                throw Errors.invalidScheduleExpression(expr, e.getMessage());
            }
        }
        throw Errors.invalidScheduleExpression(expr,
                "use rate(N hours), rate(N days) or cron(0 H DOM MON DOW *)");
    }

    /** The window must not reach into the next window or the next UTC day. */
    private void checkWindow(String duration) {
        if (windowHours == null) return;
        int d = windowHours;
        switch (kind) {
            case DAYS:
                return; // opens at midnight; at most 24h
            case HOURS: {
                int lastStart = (23 / every) * every;
                if (d > every) throw Errors.invalidRotationWindow(duration, "it is longer than the " + every
                        + " hours between rotations");
                if (lastStart + d > 24) throw Errors.invalidRotationWindow(duration, "the window opening at "
                        + lastStart + ":00 would extend into the next UTC day");
                return;
            }
            default: {
                int last = cron.hours.previousSetBit(23);
                if (last + d > 24) throw Errors.invalidRotationWindow(duration, "the window opening at "
                        + last + ":00 would extend into the next UTC day");
                int gap = cron.minHourGap();
                if (gap > 0 && d > gap) throw Errors.invalidRotationWindow(duration, "it is longer than the "
                        + gap + " hours between rotation windows");
            }
        }
    }

    // ---- cron ------------------------------------------------------------------------------------

    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
            Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
            Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS = Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5,
            "FRI", 6, "SAT", 7);

    /** An EventBridge-style cron as Secrets Manager restricts it. Day-of-week: 1 = SUN … 7 = SAT. */
    private static final class Cron {
        final String text;
        final BitSet hours;
        final BitSet months;
        /** Day-of-month: null = '?'. */
        final BitSet dom;
        final boolean domLast;
        /** Day-of-week: null = '?'. */
        final BitSet dow;
        /** {@code n#k}: weekday n, k-th in the month (0 = unused). */
        final int nthDay;
        final int nth;
        /** {@code nL}: the last weekday n of the month (0 = unused). */
        final int lastDay;

        private Cron(String text, BitSet hours, BitSet months, BitSet dom, boolean domLast, BitSet dow, int nthDay,
                     int nth, int lastDay) {
            this.text = text;
            this.hours = hours;
            this.months = months;
            this.dom = dom;
            this.domLast = domLast;
            this.dow = dow;
            this.nthDay = nthDay;
            this.nth = nth;
            this.lastDay = lastDay;
        }

        static Cron parse(String text, String body) {
            String[] f = body.trim().split("\\s+");
            if (f.length != 6) {
                throw new IllegalArgumentException("a cron() expression has 6 fields: "
                        + "minutes hours day-of-month month day-of-week year");
            }
            if (!f[0].equals("0")) throw new IllegalArgumentException("the minutes field must be 0");
            if (!f[5].equals("*")) throw new IllegalArgumentException("the year field must be *");
            BitSet hours = list(f[1], 0, 23, Map.of(), "hours");
            BitSet months = list(f[3].toUpperCase(Locale.ROOT), 1, 12, MONTHS, "month");
            boolean domAny = f[2].equals("?");
            boolean dowAny = f[4].equals("?");
            if (domAny == dowAny) {
                throw new IllegalArgumentException("exactly one of the day-of-month and day-of-week fields must be ?");
            }
            BitSet dom = null;
            boolean domLast = false;
            if (!domAny) {
                if (f[2].equals("L")) domLast = true;
                else dom = list(f[2], 1, 31, Map.of(), "day-of-month");
            }
            BitSet dow = null;
            int nthDay = 0;
            int nth = 0;
            int lastDay = 0;
            if (!dowAny) {
                String d = f[4].toUpperCase(Locale.ROOT);
                if (d.equals("L")) {
                    dow = new BitSet();
                    dow.set(7);
                } else if (d.matches("[A-Z0-9]+#\\d")) {
                    String[] p = d.split("#");
                    nthDay = value(p[0], 1, 7, DAYS, "day-of-week");
                    nth = Integer.parseInt(p[1]);
                    if (nth < 1 || nth > 5) throw new IllegalArgumentException("the # in day-of-week must be 1 to 5");
                } else if (d.matches("[A-Z0-9]+L")) {
                    lastDay = value(d.substring(0, d.length() - 1), 1, 7, DAYS, "day-of-week");
                } else {
                    dow = list(d, 1, 7, DAYS, "day-of-week");
                }
            }
            Cron c = new Cron(text, hours, months, dom, domLast, dow, nthDay, nth, lastDay);
            int gap = c.minHourGap();
            if (gap > 0 && gap < 4) {
                throw new IllegalArgumentException("rotation windows must be at least 4 hours apart");
            }
            if (c.next(Instant.parse("2000-01-01T00:00:00Z"), null) == null) {
                throw new IllegalArgumentException("it never matches a date");
            }
            return c;
        }

        /** Smallest distance between two matching hours of one day; 0 when one hour matches. */
        int minHourGap() {
            int gap = 0;
            int prev = -1;
            for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
                if (prev >= 0 && (gap == 0 || h - prev < gap)) gap = h - prev;
                prev = h;
            }
            return gap;
        }

        boolean matches(LocalDate d) {
            if (!months.get(d.getMonthValue())) return false;
            if (dom != null) return dom.get(d.getDayOfMonth());
            if (domLast) return d.getDayOfMonth() == d.lengthOfMonth();
            int awsDow = d.getDayOfWeek().getValue() % 7 + 1;
            if (dow != null) return dow.get(awsDow);
            if (nthDay != 0) return awsDow == nthDay && (d.getDayOfMonth() - 1) / 7 + 1 == nth;
            return awsDow == lastDay && d.getDayOfMonth() + 7 > d.lengthOfMonth();
        }

        /** The first window opening strictly after {@code now}, searching up to eight years. */
        Window next(Instant now, RotationSchedule owner) {
            LocalDate d = LocalDate.ofInstant(now, ZoneOffset.UTC);
            boolean inHours = hours.cardinality() > 1;
            for (int i = 0; i < 366 * 8; i++, d = d.plusDays(1)) {
                if (!matches(d)) continue;
                for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
                    Instant start = d.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(h));
                    if (!start.isAfter(now)) continue;
                    if (owner == null) return new Window(start, start);
                    return owner.window(start, inHours ? 1 : 24 - h);
                }
            }
            return null;
        }

        private static BitSet list(String field, int lo, int hi, Map<String, Integer> names, String what) {
            BitSet out = new BitSet();
            for (String item : field.split(",", -1)) {
                if (item.isEmpty()) throw new IllegalArgumentException("the " + what + " field has an empty item");
                int step = 1;
                String range = item;
                int slash = item.indexOf('/');
                if (slash >= 0) {
                    range = item.substring(0, slash);
                    try {
                        step = Integer.parseInt(item.substring(slash + 1));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("the " + what + " field has a bad increment: " + item);
                    }
                    if (step < 1) throw new IllegalArgumentException("the " + what + " field has a bad increment: " + item);
                }
                int from;
                int to;
                if (range.equals("*")) {
                    from = lo;
                    to = hi;
                } else if (range.contains("-")) {
                    String[] p = range.split("-", 2);
                    from = value(p[0], lo, hi, names, what);
                    to = value(p[1], lo, hi, names, what);
                    if (from > to) throw new IllegalArgumentException("the " + what + " field has a reversed range: " + item);
                } else {
                    from = value(range, lo, hi, names, what);
                    to = slash >= 0 ? hi : from;
                }
                for (int v = from; v <= to; v += step) out.set(v);
            }
            return out;
        }

        private static int value(String text, int lo, int hi, Map<String, Integer> names, String what) {
            Integer named = names.get(text.toUpperCase(Locale.ROOT));
            int v;
            if (named != null) {
                v = named;
            } else {
                try {
                    v = Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("the " + what + " field has an unknown value: " + text);
                }
            }
            if (v < lo || v > hi) {
                throw new IllegalArgumentException("the " + what + " field must be within " + lo + "-" + hi + ", was " + v);
            }
            return v;
        }
    }
}
