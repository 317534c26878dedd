package dev.smlocal.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dispatch table against AWS's service models, and the generated operations table in
 * {@code README.md}. Run with {@code -Dsmlocal.updateDocs=true} to rewrite the document.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsCoverageTest {
    private static final ModelValidator SECRETS = ModelValidator.load("/aws-model/secretsmanager-service-2.json");
    private static final ModelValidator KMS = ModelValidator.load("/aws-model/kms-service-2.json");

    /** The smallest valid input of each pending operation (any other gets {@code {"SecretId": "s"}}). */
    private Emulator emulator;

    @BeforeAll
    void create() {
        emulator = Emulator.create(EmulatorConfig.defaults().withPort(0)
                .withClock("manual", Instant.parse("2026-01-15T10:00:00Z")).withQuiet(true));
    }

    @AfterAll
    void close() {
        emulator.close();
    }

    @Test
    void everyRegisteredOperationExistsInItsModel() {
        List<String> unknown = new ArrayList<>();
        for (Operation<?> op : emulator.operations().all()) {
            ModelValidator model = modelOf(op.service());
            if (model == null || !model.operations().contains(op.name())) unknown.add(op.target());
        }

        assertTrue(unknown.isEmpty(), "registered but not in the service model: " + unknown);
    }

    @Test
    void everySecretsManagerModelOperationIsRegistered() {
        Set<String> missing = new TreeSet<>();
        for (String name : SECRETS.operations()) {
            if (emulator.operations().get(Operations.SECRETS_MANAGER + "." + name) == null) missing.add(name);
        }

        assertTrue(missing.isEmpty(), "Secrets Manager operations not in the dispatch table: " + missing
                + " (register them in Operations)");
    }

    @Test
    void targetPrefixesAreTheModels() {
        assertEquals(Operations.SECRETS_MANAGER, SECRETS.targetPrefix());
        assertEquals(Operations.KMS, KMS.targetPrefix());
    }

    @Test
    void operationsDocumentIsGeneratedFromTheDispatchTable() throws Exception {
        String table = OperationsTable.markdown(emulator.operations().all(), Map.of());
        Path doc = OperationsTable.repoRoot().resolve(OperationsTable.DOC);
        String current = OperationsTable.read(doc);

        if (Boolean.getBoolean("smlocal.updateDocs")) {
            Files.createDirectories(doc.getParent());
            Files.writeString(doc, OperationsTable.withBlock(current, table), StandardCharsets.UTF_8);
            return;
        }

        if (current == null) fail(doc + " does not exist; generate it with: " + OperationsTable.REGENERATE);
        String block = OperationsTable.markedBlock(current);
        if (block == null) {
            fail(doc + " lacks the " + OperationsTable.BEGIN + " / " + OperationsTable.END
                    + " markers; regenerate it with: " + OperationsTable.REGENERATE);
        }
        assertEquals(table, block, doc + " is out of date with the dispatch table; regenerate it with: "
                + OperationsTable.REGENERATE);
    }

    @Test
    void tableMarksPendingOperationsAndListsEveryOperationOnce() {
        String table = OperationsTable.markdown(emulator.operations().all(), Map.of("secretsmanager.RotateSecret", "issue #4"));

        assertTrue(table.contains("| `RotateSecret` | Secrets Manager | answers InvalidRequestException until issue #4 lands |"),
                table);
        assertTrue(table.contains("| `GetSecretValue` | Secrets Manager | supported |"), table);
        assertTrue(table.contains("| `Encrypt` | KMS | supported |"), table);
        assertEquals(emulator.operations().all().size() + 2, table.split("\n").length);
    }

    private static ModelValidator modelOf(String service) {
        if (service.equals(Operations.SECRETS_MANAGER)) return SECRETS;
        if (service.equals(Operations.KMS)) return KMS;
        return null;
    }
}
