package dev.smlocal.server.auth;

/**
 * IAM wildcard matching: {@code *} matches any run of characters (also none), {@code ?} exactly one.
 * No regular expression is compiled: policies are matched on every request.
 */
final class Glob {
    private Glob() {}

    static boolean matches(String pattern, String text, boolean ignoreCase) {
        int p = 0, t = 0, star = -1, mark = 0;
        int pl = pattern.length(), tl = text.length();
        while (t < tl) {
            if (p < pl) {
                char pc = pattern.charAt(p);
                if (pc == '*') {
                    star = p++;
                    mark = t;
                    continue;
                }
                if (pc == '?' || same(pc, text.charAt(t), ignoreCase)) {
                    p++;
                    t++;
                    continue;
                }
            }
            if (star < 0) return false;
            p = star + 1;
            t = ++mark;
        }
        while (p < pl && pattern.charAt(p) == '*') p++;
        return p == pl;
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
