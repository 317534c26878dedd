package dev.smlocal.server.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ErrorType} against AWS's service models: each modeled constant is an exception shape of
 * its service's model with the model's HTTP status ({@code error.httpStatusCode}, else 400 for a
 * client error and 500 for a {@code fault}), and every Secrets Manager exception shape has a
 * constant. KMS shapes we do not answer with need no constant.
 */
class ErrorTypeModelTest {
    private static final String SECRETS_MODEL = "/aws-model/secretsmanager-service-2.json";
    private static final String KMS_MODEL = "/aws-model/kms-service-2.json";

    @Test
    void everySecretsManagerErrorTypeIsAModelExceptionWithItsStatus() throws IOException {
        assertModeled(ErrorType.Service.SECRETS_MANAGER, exceptionStatuses(SECRETS_MODEL));
    }

    @Test
    void everySecretsManagerExceptionShapeHasAnErrorType() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String shape : exceptionStatuses(SECRETS_MODEL).keySet()) {
            ErrorType t = ErrorType.fromCode(shape);
            if (t == null || t.service() != ErrorType.Service.SECRETS_MANAGER) missing.add(shape);
        }

        assertTrue(missing.isEmpty(), "exception shapes of " + SECRETS_MODEL + " without an ErrorType: " + missing);
    }

    @Test
    void everyKmsErrorTypeIsAModelExceptionWithItsStatus() throws IOException {
        assertModeled(ErrorType.Service.KMS, exceptionStatuses(KMS_MODEL));
    }

    @Test
    void senderFaultFollowsTheStatus() {
        for (ErrorType t : ErrorType.values()) {
            assertEquals(t.httpStatus() < 500, t.senderFault(), t.name());
        }
    }

    @Test
    void codesAreUniqueWithinAService() {
        Map<String, ErrorType> seen = new LinkedHashMap<>();
        for (ErrorType t : ErrorType.values()) {
            ErrorType before = seen.put(t.service() + "/" + t.code(), t);
            assertEquals(null, before, "two constants for " + t.service() + " " + t.code());
        }
    }

    @Test
    void commonErrorsAreNotModelShapesOfSecretsManager() throws IOException {
        Map<String, Integer> shapes = exceptionStatuses(SECRETS_MODEL);

        for (ErrorType t : ErrorType.values()) {
            if (t.service() == ErrorType.Service.COMMON) {
                assertTrue(!shapes.containsKey(t.code()), t.code() + " is modeled; move it to SECRETS_MANAGER");
            }
        }
    }

    private static void assertModeled(ErrorType.Service service, Map<String, Integer> statuses) {
        int checked = 0;
        for (ErrorType t : ErrorType.values()) {
            if (t.service() != service) continue;
            Integer status = statuses.get(t.code());
            assertNotNull(status, t.name() + ": no exception shape " + t.code() + " in the " + service + " model");
            assertEquals(status.intValue(), t.httpStatus(), t.name() + " (" + t.code() + ") HTTP status");
            checked++;
        }
        assertTrue(checked > 0, "no ErrorType for " + service);
    }

    /** Exception shape name → the HTTP status the model implies. */
    static Map<String, Integer> exceptionStatuses(String resource) throws IOException {
        JsonNode shapes;
        try (InputStream in = ErrorTypeModelTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " on the classpath");
            shapes = new ObjectMapper().readTree(in).get("shapes");
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        shapes.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            if (!s.path("exception").asBoolean(false)) return;
            JsonNode code = s.path("error").path("httpStatusCode");
            int status = code.isInt() ? code.asInt() : s.path("fault").asBoolean(false) ? 500 : 400;
            out.put(e.getKey(), status);
        });
        assertTrue(out.size() > 5, "exception shapes found in " + resource);
        return out;
    }
}
