package dev.smlocal.server.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smlocal.server.observe.Event;
import dev.smlocal.server.rotation.RotationFunctions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL rotation built-ins against a real PostgreSQL (see {@link PostgresCluster}): the
 * database password really changes, the clone user really appears, failures leave the database and
 * AWSPENDING as AWS's templates leave them, and an application reading its credentials through
 * aws-secretsmanager-jdbc keeps working across rotations.
 */
class PostgresRotationWireTest extends WireSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SINGLE = "arn:aws:lambda:us-east-1:000000000000:function:"
            + RotationFunctions.POSTGRESQL_SINGLE_USER;
    private static final String MULTI = "arn:aws:lambda:us-east-1:000000000000:function:"
            + RotationFunctions.POSTGRESQL_MULTI_USER;

    private PostgresCluster pg;
    private int n;

    @BeforeAll
    void startPostgres() throws Exception {
        pg = PostgresCluster.startOrSkip("rotation");
    }

    @AfterAll
    void stopPostgres() throws Exception {
        if (pg != null) pg.close();
    }

    @BeforeEach
    void freshUser() {
        n++;
    }

    private String user() {
        return "app" + n;
    }

    private String dbSecret(String user, String password) {
        ObjectNode o = JSON.createObjectNode();
        o.put("engine", "postgres");
        o.put("host", "127.0.0.1");
        o.put("port", pg.port());
        o.put("username", user);
        o.put("password", password);
        o.put("dbname", "postgres");
        return o.toString();
    }

    private JsonNode current(String secret) throws Exception {
        return JSON.readTree(sm().getSecretValue(b -> b.secretId(secret)).secretString());
    }

    private Map<String, List<String>> stages(String secret) {
        return sm().describeSecret(b -> b.secretId(secret)).versionIdsToStages();
    }

    private List<Event> events(String name) {
        return emulator.events().all().stream().filter(e -> e.eventName().equals(name)).toList();
    }

    @Test
    void singleUserChangesTheDatabasePasswordAndPromotesIt() throws Exception {
        pg.sql("CREATE ROLE " + user() + " LOGIN PASSWORD 'old-pw-1'");
        String old = sm().createSecret(b -> b.name("db").secretString(dbSecret(user(), "old-pw-1"))).versionId();

        String token = sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(SINGLE)).versionId();
        advance(Duration.ZERO);

        JsonNode now = current("db");
        String password = now.get("password").asText();
        assertEquals(1, events("RotationSucceeded").size(), () -> String.valueOf(events("RotationFailed")));
        assertTrue(stages("db").get(token).contains("AWSCURRENT"));
        assertEquals(List.of("AWSPREVIOUS"), stages("db").get(old));
        assertEquals(user(), now.get("username").asText());
        assertEquals(32, password.length());
        for (char c : ":/@\"'\\".toCharArray()) assertEquals(-1, password.indexOf(c), "excluded character " + c);
        assertTrue(pg.accepts(user(), password), "the database takes the new password");
        assertFalse(pg.accepts(user(), "old-pw-1"), "and no longer the old one");

        // and again: every rotation changes it
        sm().rotateSecret(b -> b.secretId("db"));
        advance(Duration.ZERO);
        String third = current("db").get("password").asText();
        assertNotEquals(password, third);
        assertTrue(pg.accepts(user(), third));
        assertFalse(pg.accepts(user(), password));
    }

    @Test
    void singleUserRecoversThroughThePreviousPasswordAsTheTemplateDoes() throws Exception {
        // a rotation whose finishSecret never ran leaves the database on AWSPENDING; here: the database
        // already has a password the secret's AWSCURRENT does not know, but AWSPREVIOUS does
        pg.sql("CREATE ROLE " + user() + " LOGIN PASSWORD 'pw-a'");
        sm().createSecret(b -> b.name("db").secretString(dbSecret(user(), "pw-a")));
        sm().putSecretValue(b -> b.secretId("db").secretString(dbSecret(user(), "pw-b-never-set")));

        sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(SINGLE));
        advance(Duration.ZERO);

        assertEquals(1, events("RotationSucceeded").size(), () -> String.valueOf(events("RotationFailed")));
        assertTrue(pg.accepts(user(), current("db").get("password").asText()));
        assertFalse(pg.accepts(user(), "pw-a"));
    }

    @Test
    void aSecretThatOpensNothingFailsAtSetSecretLeavingPendingAndTheDatabaseAlone() throws Exception {
        pg.sql("CREATE ROLE " + user() + " LOGIN PASSWORD 'real-pw'");
        String old = sm().createSecret(b -> b.name("db").secretString(dbSecret(user(), "stale-pw"))).versionId();

        String token = sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(SINGLE)).versionId();
        advance(Duration.ZERO);

        Event failed = events("RotationFailed").get(0);
        assertEquals("setSecret", failed.requestParameters().get("step"));
        assertTrue(failed.errorMessage().contains("Unable to log into database with previous, current, or pending secret"),
                failed.errorMessage());
        String pending = JSON.readTree(sm().getSecretValue(b -> b.secretId("db").versionStage("AWSPENDING"))
                .secretString()).get("password").asText();
        assertFalse(failed.errorMessage().contains(pending), "no password in the event");
        assertFalse(failed.errorMessage().contains("stale-pw"));
        assertEquals(List.of("AWSPENDING"), stages("db").get(token));
        assertTrue(stages("db").get(old).contains("AWSCURRENT"));
        assertNull(sm().describeSecret(b -> b.secretId("db")).lastRotatedDate());
        assertTrue(pg.accepts(user(), "real-pw"), "the database is untouched");
        assertFalse(pg.accepts(user(), pending));
    }

    @Test
    void aNonPostgresSecretFailsAtCreateSecretWithTheTemplatesReason() {
        sm().createSecret(b -> b.name("db").secretString("{\"engine\":\"mysql\",\"host\":\"h\",\"username\":\"u\",\"password\":\"p\"}"));

        sm().rotateSecret(b -> b.secretId("db").rotationLambdaARN(SINGLE));
        advance(Duration.ZERO);

        Event failed = events("RotationFailed").get(0);
        assertEquals("createSecret", failed.requestParameters().get("step"));
        assertEquals("Database engine must be set to 'postgres' in order to use this rotation function", failed.errorMessage());
    }

    private String masterSecret() {
        ObjectNode m = (ObjectNode) readUnchecked(dbSecret(PostgresCluster.SUPERUSER, pg.superPassword()));
        return m.toString();
    }

    private static JsonNode readUnchecked(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String appSecret(String user, String password, String masterArn) {
        ObjectNode o = (ObjectNode) readUnchecked(dbSecret(user, password));
        o.put("masterarn", masterArn);
        return o.toString();
    }

    @Test
    void alternatingUsersCreatesTheCloneWithTheUsersRightsThenAlternates() throws Exception {
        String u = user();
        pg.sql("CREATE ROLE " + u + " LOGIN PASSWORD 'app-pw'",
                "CREATE TABLE t_" + u + " (v int)", "INSERT INTO t_" + u + " VALUES (7)",
                "GRANT SELECT ON t_" + u + " TO " + u);
        String masterArn = sm().createSecret(b -> b.name("master").secretString(masterSecret())).arn();
        sm().createSecret(b -> b.name("app").secretString(appSecret(u, "app-pw", masterArn)));

        sm().rotateSecret(b -> b.secretId("app").rotationLambdaARN(MULTI));
        advance(Duration.ZERO);

        JsonNode first = current("app");
        assertEquals(1, events("RotationSucceeded").size(), () -> String.valueOf(events("RotationFailed")));
        assertEquals(u + "_clone", first.get("username").asText());
        assertEquals(masterArn, first.get("masterarn").asText());
        try (Connection c = pg.connect(u + "_clone", first.get("password").asText());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM t_" + u)) {
            assertTrue(rs.next());
            assertEquals(7, rs.getInt(1), "the clone has the user's rights (GRANT user TO clone)");
        }
        assertTrue(pg.accepts(u, "app-pw"), "the other user keeps working until its turn");

        sm().rotateSecret(b -> b.secretId("app"));
        advance(Duration.ZERO);

        JsonNode second = current("app");
        assertEquals(u, second.get("username").asText());
        assertTrue(pg.accepts(u, second.get("password").asText()));
        assertFalse(pg.accepts(u, "app-pw"));
        assertTrue(pg.accepts(u + "_clone", first.get("password").asText()), "AWSPREVIOUS still opens the database");
    }

    @Test
    void alternatingUsersWithAWrongMasterFailsAtSetSecretAndCreatesNoUser() throws Exception {
        String u = user();
        pg.sql("CREATE ROLE " + u + " LOGIN PASSWORD 'app-pw'");
        String masterArn = sm().createSecret(b -> b.name("master")
                .secretString(dbSecret(PostgresCluster.SUPERUSER, "not-the-master-pw"))).arn();
        sm().createSecret(b -> b.name("app").secretString(appSecret(u, "app-pw", masterArn)));

        sm().rotateSecret(b -> b.secretId("app").rotationLambdaARN(MULTI));
        advance(Duration.ZERO);

        Event failed = events("RotationFailed").get(0);
        assertEquals("setSecret", failed.requestParameters().get("step"));
        assertEquals("Unable to log into database using credentials in master secret " + masterArn, failed.errorMessage());
        try (Connection c = pg.connect(PostgresCluster.SUPERUSER, pg.superPassword());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + u + "_clone'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
        assertEquals(u + "_clone", JSON.readTree(sm().getSecretValue(b -> b.secretId("app").versionStage("AWSPENDING"))
                .secretString()).get("username").asText());
    }

    @Test
    void anApplicationOnAwsSecretsManagerJdbcKeepsWorkingAcrossRotations() throws Exception {
        String u = user();
        pg.sql("CREATE ROLE " + u + " LOGIN PASSWORD 'jdbc-pw'");
        String arn = sm().createSecret(b -> b.name("jdbc-app").secretString(dbSecret(u, "jdbc-pw"))).arn();
        String url = "jdbc-secretsmanager:postgresql://127.0.0.1:" + pg.port() + "/postgres?sslmode=disable";

        // the driver builds its own client when its class loads: from these properties, as an app's config would
        Map<String, String> props = Map.of("drivers.vpcEndpointUrl", emulator.endpoint().toString(),
                "drivers.vpcEndpointRegion", "us-east-1", "aws.accessKeyId", "AKIDEXAMPLE", "aws.secretAccessKey", "secret");
        Map<String, String> saved = new java.util.HashMap<>();
        props.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
        try {
            Class.forName("com.amazonaws.secretsmanager.sql.AWSSecretsManagerPostgreSQLDriver");
            assertEquals(1, query(url, arn));

            for (int i = 0; i < 3; i++) {
                sm().rotateSecret(b -> b.secretId("jdbc-app").rotationLambdaARN(SINGLE));
                advance(Duration.ZERO);
                assertFalse(pg.accepts(u, "jdbc-pw"));
                // the driver's cached password is stale now; it sees the login fail, refreshes, retries
                assertEquals(1, query(url, arn), "after rotation " + (i + 1));
            }
            assertEquals(3, events("RotationSucceeded").size(), () -> String.valueOf(events("RotationFailed")));
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) System.clearProperty(k);
                else System.setProperty(k, v);
            });
        }
    }

    private static int query(String url, String secretArn) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", secretArn);
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
