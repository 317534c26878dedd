package dev.smlocal.testkit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** An instance {@code @RegisterExtension} field: a server of its own for each test method. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProgrammaticInstanceTest {
    @RegisterExtension
    final SmLocalExtension sm = SmLocalExtension.builder().build();

    final SecretsManagerClient client = sm.client("us-east-1");
    static URI previousEndpoint;

    @Test
    @Order(1)
    void firstMethodGetsAServer() {
        client.createSecret(b -> b.name("db").secretString("v1"));

        previousEndpoint = sm.handle().endpoint();
        assertNotNull(client.describeSecret(b -> b.secretId("db")).arn());
    }

    @Test
    @Order(2)
    void secondMethodGetsAnotherOnAnotherPortAndTheFirstIsStopped() {
        assertNotEquals(previousEndpoint.getPort(), sm.handle().endpoint().getPort());
        assertThrows(ConnectException.class, () -> health(previousEndpoint));
        assertNotNull(client.createSecret(b -> b.name("db").secretString("v1")).arn());
    }

    static int health(URI endpoint) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/_smlocal/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
