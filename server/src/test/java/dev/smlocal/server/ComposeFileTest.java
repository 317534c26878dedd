package dev.smlocal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No container engine runs in CI, so examples/compose/compose.yaml is checked statically against
 * what the server and its image really do: the flags it passes exist, the health check is the
 * image's, the application waits for a healthy smlocal and reaches it by a host name smlocal is
 * told to allow, on the port the server listens on, and nothing is published beyond the host's loopback.
 */
class ComposeFileTest {
    private static final Path REPO = Path.of(System.getProperty("smlocal.repo.dir", ".."));

    private static JsonNode compose() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(REPO.resolve("examples/compose/compose.yaml").toFile());
    }

    private static List<String> list(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    @Test
    void smlocalRunsWithFlagsTheServerKnowsAndTheSharedNetworkPerimeter() throws Exception {
        JsonNode smlocal = compose().path("services").path("smlocal");
        List<String> command = list(smlocal.path("command"));
        Set<String> known = Main.FLAGS.stream().map(Main.Flag::name).collect(Collectors.toSet());

        for (String arg : command) {
            assertTrue(arg.startsWith("--") && arg.contains("="), "flags as --name=value: " + arg);
            String name = arg.substring(2, arg.indexOf('='));
            assertTrue(known.contains(name), "unknown flag --" + name);
        }
        assertTrue(command.contains("--host=0.0.0.0"), "listens on the container network");
        String allowed = command.stream().filter(a -> a.startsWith("--allowed-hosts=")).findFirst().orElseThrow();
        assertTrue(List.of(allowed.substring("--allowed-hosts=".length()).split(",")).contains("smlocal"),
                "other containers address it by its service name");
        assertTrue(command.stream().anyMatch(a -> a.startsWith("--admin-token=")), "the admin API wants a token");
        assertEquals("../..", smlocal.path("build").path("context").asText());
        assertTrue(Files.isRegularFile(REPO.resolve("examples/compose").resolve("../../Dockerfile").normalize()));
    }

    @Test
    void theHealthCheckIsTheImagesAndNothingIsPublishedBeyondLoopback() throws Exception {
        JsonNode smlocal = compose().path("services").path("smlocal");
        List<String> test = list(smlocal.path("healthcheck").path("test"));
        String dockerfile = Files.readString(REPO.resolve("Dockerfile"));

        assertEquals("CMD", test.get(0));
        String image = "[" + test.subList(1, test.size()).stream().map(s -> "\"" + s + "\"")
                .collect(Collectors.joining(", ")) + "]";
        assertTrue(dockerfile.contains("CMD " + image), "the Dockerfile's HEALTHCHECK: " + image);
        assertEquals("healthcheck", test.get(test.size() - 1), "Main's health check sub-command");
        for (JsonNode port : smlocal.path("ports")) {
            assertTrue(port.asText().startsWith("127.0.0.1:"), "published on the host's loopback only: " + port.asText());
            assertTrue(port.asText().endsWith(":" + EmulatorConfig.DEFAULT_PORT), port.asText());
        }
    }

    @Test
    void theApplicationWaitsForAHealthySmlocalAndReachesItByAnAllowedName() throws Exception {
        JsonNode services = compose().path("services");
        List<String> command = list(services.path("smlocal").path("command"));
        String allowed = command.stream().filter(a -> a.startsWith("--allowed-hosts=")).findFirst().orElseThrow();
        Set<String> allowedHosts = Set.of(allowed.substring("--allowed-hosts=".length()).split(","));
        int clients = 0;
        for (var it = services.fields(); it.hasNext(); ) {
            var service = it.next();
            if (service.getKey().equals("smlocal")) continue;
            clients++;
            JsonNode env = service.getValue().path("environment");
            URI endpoint = URI.create(env.path("AWS_ENDPOINT_URL").asText());
            assertEquals("service_healthy",
                    service.getValue().path("depends_on").path("smlocal").path("condition").asText(), service.getKey());
            assertTrue(allowedHosts.contains(endpoint.getHost()), service.getKey() + " uses " + endpoint);
            assertEquals(EmulatorConfig.DEFAULT_PORT, endpoint.getPort());
            assertTrue(env.path("AWS_ACCESS_KEY_ID").asText().matches("\\d{12}"), "an account id as access key");
            assertTrue(!env.path("AWS_REGION").asText().isEmpty());
        }
        assertEquals(2, clients);
        assertEquals("service_completed_successfully",
                services.path("app").path("depends_on").path("seed").path("condition").asText());
    }
}
