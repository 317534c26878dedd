package dev.smlocal.server.auth;

import java.util.regex.Pattern;

/** Principal ARNs: an account's root, an IAM role or an IAM user. */
public final class Principal {
    private Principal() {}

    private static final Pattern ARN =
            Pattern.compile("arn:aws:iam::(\\d{12}):(root|role/[\\w+=,.@/-]{1,512}|user/[\\w+=,.@/-]{1,512})");

    /** {@code arn:aws:iam::ACCOUNT:root}. */
    public static String rootArn(String account) {
        return "arn:aws:iam::" + account + ":root";
    }

    /** Whether {@code arn} is a root, role or user ARN smlocal can act as. */
    public static boolean isValidArn(String arn) {
        return arn != null && ARN.matcher(arn).matches();
    }

    /** The account of a principal ARN ({@code arn:aws:iam::ACCOUNT:...}); the ARN must be valid. */
    public static String accountOf(String arn) {
        return arn.substring("arn:aws:iam::".length(), "arn:aws:iam::".length() + 12);
    }
}
