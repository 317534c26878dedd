package dev.smlocal.server.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.aws.AwsException;
import dev.smlocal.server.aws.ErrorType;
import dev.smlocal.server.aws.RequestContext;
import dev.smlocal.server.secrets.Secret;
import dev.smlocal.server.secrets.SecretsApi.GetRandomPasswordRequest;
import dev.smlocal.server.secrets.SecretsApi.GetSecretValueRequest;
import dev.smlocal.server.secrets.SecretsApi.PutSecretValueRequest;
import dev.smlocal.server.secrets.SecretsApi.SecretIdRequest;
import dev.smlocal.server.secrets.SecretsApi.SecretValueEntry;
import dev.smlocal.server.secrets.SecretsApi.UpdateSecretVersionStageRequest;
import dev.smlocal.server.secrets.SecretsService;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The PostgreSQL built-ins: what AWS's rotation templates SecretsManagerRDSPostgreSQLRotationSingleUser
 * and SecretsManagerRDSPostgreSQLRotationMultiUser do, over JDBC, against the database the secret
 * names. The secret is AWS's JSON: {@code engine} ({@code postgres} or {@code aurora-postgresql}),
 * {@code host}, {@code username}, {@code password}, optional {@code port} (5432) and {@code dbname}
 * ({@code postgres}), optional {@code ssl}, and for alternating users {@code masterarn}. Each step
 * is in docs/DATABASE-ROTATION.md, with the evidence for it.
 *
 * <p>The JDBC driver ({@code org.postgresql:postgresql}) is found through {@link DriverManager}:
 * the standalone server jar bundles it, in-process it comes from the user's classpath. Failures are
 * {@link RotationStepException}s with the template's reason; no message carries a password (an SQL
 * error of the statement that sets one is reported by its SQLSTATE only).
 */
final class PostgresFunctions {
    /** AWS's templates exclude these from the generated password (they break connection strings). */
    static final String EXCLUDED_CHARACTERS = ":/@\"'\\";
    static final long PASSWORD_LENGTH = 32;
    private static final Set<String> ENGINES = Set.of("postgres", "aurora-postgresql");
    private static final List<String> REQUIRED = List.of("host", "username", "password", "engine");
    private static final int CONNECT_TIMEOUT_SECONDS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PostgresFunctions() {}

    static RotationFunction singleUser(SecretsService sm) {
        return event -> run(sm, event, false);
    }

    static RotationFunction multiUser(SecretsService sm) {
        return event -> run(sm, event, true);
    }

    private static void run(SecretsService sm, RotationEvent e, boolean multi) throws RotationStepException {
        RequestContext ctx = BuiltInFunctions.contextOf(e.secretId());
        String arn = e.secretId();
        String token = e.clientRequestToken();
        // the templates' handler: the token's version must be the AWSPENDING one (or already AWSCURRENT)
        Map<String, List<String>> versions = sm.describeSecret(ctx, new SecretIdRequest(arn)).versionIdsToStages();
        List<String> stages = versions == null ? null : versions.get(token);
        if (stages == null) {
            throw new RotationStepException("Secret version " + token + " has no stage for rotation of secret " + arn + ".");
        }
        if (stages.contains(Secret.CURRENT)) return;
        if (!stages.contains(Secret.PENDING)) {
            throw new RotationStepException("Secret version " + token + " not set as AWSPENDING for rotation of secret " + arn + ".");
        }
        switch (e.step()) {
            case RotationEvent.CREATE_SECRET -> createSecret(sm, ctx, arn, token, multi);
            case RotationEvent.SET_SECRET -> {
                if (multi) setSecretMulti(sm, ctx, arn, token);
                else setSecretSingle(sm, ctx, arn, token);
            }
            case RotationEvent.TEST_SECRET -> testSecret(sm, ctx, arn, token);
            default -> finishSecret(sm, ctx, arn, token);
        }
    }

    private static void createSecret(SecretsService sm, RequestContext ctx, String arn, String token, boolean multi)
            throws RotationStepException {
        ObjectNode current = secretDict(sm, ctx, arn, Secret.CURRENT, null);
        if (pendingExists(sm, ctx, arn, token)) return;
        if (multi) {
            current.put("username", alternateUser(current.get("username").asText()));
        }
        String password = sm.getRandomPassword(ctx, new GetRandomPasswordRequest(PASSWORD_LENGTH, EXCLUDED_CHARACTERS,
                null, null, null, null, null, null)).randomPassword();
        current.put("password", password);
        sm.putSecretValue(ctx, new PutSecretValueRequest(arn, token, null, write(current), List.of(Secret.PENDING), null));
    }

    private static void setSecretSingle(SecretsService sm, RequestContext ctx, String arn, String token)
            throws RotationStepException {
        ObjectNode previous;
        try {
            previous = secretDict(sm, ctx, arn, Secret.PREVIOUS, null);
        } catch (AwsException | RotationStepException none) {
            previous = null;
        }
        ObjectNode current = secretDict(sm, ctx, arn, Secret.CURRENT, null);
        ObjectNode pending = secretDict(sm, ctx, arn, Secret.PENDING, token);

        Connection pendingConn = connect(pending);
        if (pendingConn != null) {
            close(pendingConn);
            return; // already set
        }
        if (!text(current, "username").equals(text(pending, "username"))) {
            throw new RotationStepException("Attempting to modify user " + text(pending, "username")
                    + " other than current user " + text(current, "username"));
        }
        if (!text(current, "host").equals(text(pending, "host"))) {
            throw new RotationStepException("Attempting to modify user for host " + text(pending, "host")
                    + " other than current host " + text(current, "host"));
        }
        Connection conn = connect(current);
        if (conn == null && previous != null) {
            previous.remove("ssl");
            if (current.has("ssl")) previous.set("ssl", current.get("ssl"));
            conn = connect(previous);
            if (!text(previous, "username").equals(text(pending, "username"))) {
                close(conn);
                throw new RotationStepException("Attempting to modify user " + text(pending, "username")
                        + " other than previous valid user " + text(previous, "username"));
            }
            if (!text(previous, "host").equals(text(pending, "host"))) {
                close(conn);
                throw new RotationStepException("Attempting to modify user for host " + text(pending, "host")
                        + " other than previous valid host " + text(previous, "host"));
            }
        }
        if (conn == null) {
            throw new RotationStepException("Unable to log into database with previous, current, or pending secret of secret arn " + arn);
        }
        try (Connection c = conn) {
            String user = quoteIdent(c, text(pending, "username"));
            execute(c, "ALTER USER " + user + " WITH PASSWORD " + literal(text(pending, "password")));
        } catch (SQLException ex) {
            throw new RotationStepException("Unable to set the password of user " + text(pending, "username")
                    + ": SQLSTATE " + ex.getSQLState());
        }
    }

    private static void setSecretMulti(SecretsService sm, RequestContext ctx, String arn, String token)
            throws RotationStepException {
        ObjectNode current = secretDict(sm, ctx, arn, Secret.CURRENT, null);
        ObjectNode pending = secretDict(sm, ctx, arn, Secret.PENDING, token);

        Connection pendingConn = connect(pending);
        if (pendingConn != null) {
            close(pendingConn);
            return;
        }
        if (!alternateUser(text(current, "username")).equals(text(pending, "username"))) {
            throw new RotationStepException("Attempting to modify user " + text(pending, "username")
                    + " other than current user or clone " + text(current, "username"));
        }
        if (!text(current, "host").equals(text(pending, "host"))) {
            throw new RotationStepException("Attempting to modify user for host " + text(pending, "host")
                    + " other than current host " + text(current, "host"));
        }
        // the current credential must work (the templates' guard against a confused deputy)
        Connection check = connect(current);
        if (check == null) {
            throw new RotationStepException("Unable to log into database using current credentials for secret " + arn);
        }
        close(check);

        JsonNode masterArnNode = current.get("masterarn");
        if (masterArnNode == null || !masterArnNode.isTextual()) {
            throw new RotationStepException("masterarn key is missing from secret JSON");
        }
        String masterArn = masterArnNode.asText();
        ObjectNode master;
        try {
            master = secretDict(sm, BuiltInFunctions.contextOf(masterArn), masterArn, Secret.CURRENT, null);
        } catch (IllegalArgumentException notArn) {
            throw new RotationStepException("masterarn is not a secret ARN: " + masterArn);
        }
        if (current.hasNonNull("dbname")) master.set("dbname", current.get("dbname"));
        else master.remove("dbname");
        if (!text(current, "host").equals(text(master, "host"))) {
            throw new RotationStepException("Current database host " + text(current, "host")
                    + " is not the same host as/rds replica of master " + text(master, "host"));
        }
        Connection conn = connect(master);
        if (conn == null) {
            throw new RotationStepException("Unable to log into database using credentials in master secret " + masterArn);
        }
        String step = "look up";
        try (Connection c = conn) {
            String pendingUser = quoteIdent(c, text(pending, "username"));
            String currentUser = quoteIdent(c, text(current, "username"));
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
                ps.setString(1, text(pending, "username"));
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                step = "create";
                execute(c, "CREATE ROLE " + pendingUser + " WITH LOGIN PASSWORD " + literal(text(pending, "password")));
                step = "grant the current user's role to";
                execute(c, "GRANT " + currentUser + " TO " + pendingUser);
            } else {
                step = "set the password of";
                execute(c, "ALTER USER " + pendingUser + " WITH PASSWORD " + literal(text(pending, "password")));
            }
        } catch (SQLException ex) {
            throw new RotationStepException("Unable to " + step + " user " + text(pending, "username")
                    + ": SQLSTATE " + ex.getSQLState());
        }
    }

    private static void testSecret(SecretsService sm, RequestContext ctx, String arn, String token)
            throws RotationStepException {
        Connection conn = connect(secretDict(sm, ctx, arn, Secret.PENDING, token));
        if (conn == null) {
            throw new RotationStepException("Unable to log into database with pending secret of secret ARN " + arn);
        }
        try (Connection c = conn; Statement s = c.createStatement()) {
            s.execute("SELECT NOW()");
        } catch (SQLException ex) {
            throw new RotationStepException("The pending secret of secret ARN " + arn
                    + " logs in but cannot query: SQLSTATE " + ex.getSQLState());
        }
    }

    private static void finishSecret(SecretsService sm, RequestContext ctx, String arn, String token) {
        Map<String, List<String>> stages = sm.describeSecret(ctx, new SecretIdRequest(arn)).versionIdsToStages();
        String holder = null;
        for (Map.Entry<String, List<String>> en : stages.entrySet()) {
            if (en.getValue().contains(Secret.CURRENT)) holder = en.getKey();
        }
        if (token.equals(holder)) return;
        sm.updateSecretVersionStage(ctx, new UpdateSecretVersionStageRequest(arn, Secret.CURRENT, holder, token));
    }

    /** The templates' get_secret_dict: JSON with host, username, password and a PostgreSQL engine. */
    static ObjectNode secretDict(SecretsService sm, RequestContext ctx, String arn, String stage, String token)
            throws RotationStepException {
        SecretValueEntry v = sm.getSecretValue(ctx, new GetSecretValueRequest(arn, token, stage));
        if (v.secretString() == null) {
            throw new RotationStepException("the " + stage + " value of secret " + arn + " is not a JSON string");
        }
        JsonNode node;
        try {
            node = JSON.readTree(v.secretString());
        } catch (IOException notJson) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new RotationStepException("the " + stage + " value of secret " + arn + " is not a JSON object");
        }
        ObjectNode dict = (ObjectNode) node;
        for (String field : REQUIRED) {
            if (!dict.has(field)) throw new RotationStepException(field + " key is missing from secret JSON");
        }
        if (!ENGINES.contains(dict.get("engine").asText())) {
            throw new RotationStepException("Database engine must be set to 'postgres' in order to use this rotation function");
        }
        return dict;
    }

    private static boolean pendingExists(SecretsService sm, RequestContext ctx, String arn, String token) {
        try {
            SecretValueEntry v = sm.getSecretValue(ctx, new GetSecretValueRequest(arn, token, Secret.PENDING));
            return v.secretString() != null || v.secretBinary() != null;
        } catch (AwsException ex) {
            if (ex.type() == ErrorType.RESOURCE_NOT_FOUND) return false;
            throw ex;
        }
    }

    /** The templates' alternate user: {@code user} ↔ {@code user_clone}; PostgreSQL names stop at 63. */
    static String alternateUser(String user) throws RotationStepException {
        String alt = BuiltInFunctions.alternateUser(user);
        if (alt.length() > 63) {
            throw new RotationStepException("Unable to clone user, username length with _clone appended would exceed 63 characters");
        }
        return alt;
    }

    /**
     * A connection with the dict's credentials, or null when the database refuses them or cannot be
     * reached (as the templates' get_connection). {@code ssl}: absent or not a boolean-like value means
     * TLS when the server offers it, else plain ({@code sslmode=prefer}); true requires TLS; false never.
     */
    static Connection connect(ObjectNode dict) throws RotationStepException {
        if (dict == null) return null;
        int port = dict.has("port") ? dict.get("port").asInt(5432) : 5432;
        String db = dict.hasNonNull("dbname") ? dict.get("dbname").asText() : "postgres";
        String host = text(dict, "host");
        if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        Properties p = new Properties();
        p.setProperty("user", text(dict, "username"));
        p.setProperty("password", text(dict, "password"));
        p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        p.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        p.setProperty("socketTimeout", "30");
        p.setProperty("sslmode", sslMode(dict.get("ssl")));
        p.setProperty("ApplicationName", "smlocal-rotation");
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + db;
        try {
            return DriverManager.getConnection(url, p);
        } catch (SQLException ex) {
            if ("08001".equals(ex.getSQLState()) && ex.getMessage() != null
                    && ex.getMessage().startsWith("No suitable driver")) {
                throw new RotationStepException("the PostgreSQL JDBC driver (org.postgresql:postgresql) is not on the classpath");
            }
            return null;
        }
    }

    private static String sslMode(JsonNode ssl) {
        if (ssl == null) return "prefer";
        if (ssl.isBoolean()) return ssl.asBoolean() ? "require" : "disable";
        if (ssl.isTextual()) {
            String s = ssl.asText();
            if (s.equalsIgnoreCase("true")) return "require";
            if (s.equalsIgnoreCase("false")) return "disable";
        }
        return "prefer";
    }

    private static String quoteIdent(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * A string literal for a utility statement (ALTER/CREATE ROLE take no bind parameters). With
     * {@code standard_conforming_strings} (PostgreSQL's default since 9.1) doubling quotes is the
     * whole escaping; the E'' form makes backslashes explicit whatever that setting is.
     */
    static String literal(String value) throws SQLException {
        if (value.indexOf('\0') >= 0) throw new SQLException("a password cannot contain NUL", "22021");
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String text(ObjectNode dict, String field) {
        JsonNode n = dict.get(field);
        return n == null || n.isNull() ? "" : n.asText();
    }

    private static void close(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a connection we no longer need
        }
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
