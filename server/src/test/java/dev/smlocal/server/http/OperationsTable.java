package dev.smlocal.server.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The supported-operations table, generated from the dispatch table so that it cannot lie (moto's
 * {@code IMPLEMENTATION_COVERAGE.md} habit). One Markdown row per registered operation: name,
 * service, and "supported" or the note of {@link Operations#PENDING}. The table lives in
 * {@code README.md} between {@link #BEGIN} and {@link #END}.
 */
final class OperationsTable {
    static final String BEGIN = "<!-- operations:begin -->";
    static final String END = "<!-- operations:end -->";
    static final String DOC = "README.md";
    static final String REGENERATE =
            "mvn -B -o test -pl server -Dtest=OperationsCoverageTest -Dsmlocal.updateDocs=true";
    static final String INTRO = "Operations smlocal answers, generated from the dispatch table by "
            + "`OperationsCoverageTest` (regenerate with `" + REGENERATE + "`); any other `X-Amz-Target` "
            + "answers `UnknownOperationException`.";

    private OperationsTable() {}

    /** The Markdown table: Secrets Manager first, then KMS, each in alphabetical order. */
    static String markdown(List<Operation<?>> operations, Map<String, String> pending) {
        List<Operation<?>> rows = new ArrayList<>(operations);
        rows.sort(Comparator.comparing((Operation<?> o) -> o.service().equals(Operations.SECRETS_MANAGER) ? 0 : 1)
                .thenComparing(Operation::name));
        StringBuilder sb = new StringBuilder();
        sb.append("| Operation | Service | Status |\n");
        sb.append("|---|---|---|\n");
        for (Operation<?> op : rows) {
            String note = pending.get(op.target());
            String status = note == null ? "supported" : "answers InvalidRequestException until " + note + " lands";
            sb.append("| `").append(op.name()).append("` | ").append(serviceName(op.service())).append(" | ")
                    .append(status).append(" |\n");
        }
        return sb.toString();
    }

    static String serviceName(String service) {
        if (service.equals(Operations.SECRETS_MANAGER)) return "Secrets Manager";
        if (service.equals(Operations.KMS)) return "KMS";
        return service;
    }

    /** The text between the markers (exclusive, trimmed of the newlines next to them), or null. */
    static String markedBlock(String document) {
        int b = document.indexOf(BEGIN);
        int e = document.indexOf(END);
        if (b < 0 || e < b) return null;
        return document.substring(b + BEGIN.length(), e).strip() + "\n";
    }

    /** {@code document} with the marked block replaced by {@code table}; never rewrites a document without markers. */
    static String withBlock(String document, String table) {
        String block = BEGIN + "\n" + table + END;
        if (document == null || markedBlock(document) == null) {
            throw new IllegalStateException("the document lacks the " + BEGIN + " / " + END
                    + " markers: add them where the table belongs, then regenerate");
        }
        int b = document.indexOf(BEGIN);
        int e = document.indexOf(END) + END.length();
        return document.substring(0, b) + block + document.substring(e);
    }

    /** The repository root: {@code smlocal.repo.dir} (set by surefire), or the nearest parent holding server/pom.xml. */
    static Path repoRoot() {
        String configured = System.getProperty("smlocal.repo.dir");
        Path start = Path.of(configured != null ? configured : System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isRegularFile(p.resolve("server/pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + start);
    }

    static String read(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    }
}
