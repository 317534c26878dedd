package dev.smlocal.conformance;

import dev.smlocal.conformance.support.RotationFunctionServer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the rotation checks share (AWS-BEHAVIOUR §8). Rotation against AWS needs a real Lambda function, which
 * this suite does not deploy: checks that need a rotation to run use a function only an emulator has
 * (an HTTP function registered through the admin API, or smlocal's built-in
 * {@code smlocal-password}) and are {@code @EmulatorOnly}. The refusals AWS answers before invoking
 * anything run everywhere; they name a function that does not exist in the caller's account.
 *
 * <p>A rotation requested on an emulator runs on its clock: {@link #runDue()} advances it by zero,
 * which runs what is due (and switches an out-of-process smlocal to its manual clock first, so the
 * placeholder stage is observable before the function runs; call {@link #manualClock()} before the
 * first RotateSecret).
 */
abstract class RotationCheck extends ConformanceCheck {
    static final String NO_LAMBDA = "No Lambda rotation function ARN is associated with this secret.";
    static final String CANNOT_INVOKE = "Secrets Manager cannot invoke the specified Lambda function. Ensure that the "
            + "function policy grants access to the principal secretsmanager.amazonaws.com.";
    static final String INCOMPLETE = "A previous rotation isn't complete. That rotation will be reattempted.";
    static final String TOKEN_REQUIRED = CreateSecretConformance.TOKEN_REQUIRED;
    static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");
    private static final SecureRandom RANDOM = new SecureRandom();

    static String lambdaArn(String region, String account, String function) {
        return "arn:aws:lambda:" + region + ":" + account + ":function:" + function;
    }

    /** A Lambda function ARN in the caller's account that names no function. */
    static String noSuchFunction(String region, String account) {
        return lambdaArn(region, account, "smlocal-conformance-no-such-function");
    }

    static String account(String arn) {
        return arn.split(":")[4];
    }

    /** smlocal's built-in rotation function (a new password) in the secret's region and account. */
    static String builtInPassword(String secretArn) {
        return lambdaArn(secretArn.split(":")[3], account(secretArn), "smlocal-password");
    }

    /** A rotation function registered with the emulator for this check, forgotten when it ends. */
    RotationFunctionServer.Function function() {
        return function(this);
    }

    /** A rotation function registered with the emulator for {@code check}, forgotten when it ends. */
    static RotationFunctionServer.Function function(ConformanceCheck check) {
        String name = "smlocal-conf-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        RotationFunctionServer.Function f = RotationFunctionServer.create(name, check.target);
        check.scenario().afterwards(f::close);
        check.powers().registerFunction(name, f.url());
        check.scenario().afterwards(() -> check.powers().removeFunction(name));
        return f;
    }

    /** Puts an out-of-process emulator on its manual clock (the in-process one always is). */
    void manualClock() {
        powers().advance(Duration.ZERO);
    }

    /** Runs the rotation steps that are due now. */
    void runDue() {
        powers().advance(Duration.ZERO);
    }

    Map<String, List<String>> stages(String id) {
        var d = sm().describeSecret(b -> b.secretId(id));
        return d.hasVersionIdsToStages() ? d.versionIdsToStages() : Map.of();
    }

    /** The version holding {@code stage}, or null. */
    String holder(String id, String stage) {
        return stages(id).entrySet().stream().filter(e -> e.getValue().contains(stage)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }
}
