package dev.smlocal.dashboard;

import static org.junit.jupiter.api.Assertions.*;

import dev.smlocal.server.Emulator;
import dev.smlocal.server.EmulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The dashboard driven like a person would, in headless Chromium: secrets made through the SDK, the
 * page opened, buttons clicked, and the SDK showing the effect. The emulator's clock is manual, so
 * every change the page shows comes from a click or an SDK call, never from wall time; the waits
 * below only give the page's polling (1 to 1.5 s) time to fetch, with a deadline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
    static final Instant START = Instant.parse("2026-01-15T10:00:00Z");
    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "us-west-2");

    Emulator emulator;
    Browser browser;
    WebDriverWait wait;
    SecretsManagerClient east;
    SecretsManagerClient west;
    KmsClient kmsEast;

    @BeforeAll
    void start() {
        browser = Browser.start();
        wait = new WebDriverWait(browser.driver, Duration.ofSeconds(10), Duration.ofMillis(100));
        emulator = Emulator.start(EmulatorConfig.defaults().withPort(0).withClock("manual", START).withSeed(7)
                .withQuiet(true).withRegions(REGIONS));
        east = sm("us-east-1");
        west = sm("eu-west-1");
        kmsEast = KmsClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    @AfterAll
    void stop() {
        if (east != null) east.close();
        if (west != null) west.close();
        if (kmsEast != null) kmsEast.close();
        if (emulator != null) emulator.close();
        if (browser != null) browser.close();
    }

    @BeforeEach
    void reset() {
        emulator.reset();
    }

    /** Every test ends with a screenshot and with no error in the browser's console. */
    @AfterEach
    void screenshotAndConsole(TestInfo info) {
        browser.screenshot(info.getTestMethod().orElseThrow().getName());
        List<String> severe = browser.severeConsoleEntries();
        // leave the page before the next test's reset: a page still polling a secret that the reset
        // removed would log the 404 into the next test's console
        browser.driver.get("about:blank");
        browser.severeConsoleEntries();
        assertEquals(List.of(), severe, "console errors during " + info.getDisplayName());
    }

    SecretsManagerClient sm(String region) {
        return SecretsManagerClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    void open() {
        browser.driver.get(emulator.endpoint() + "/_smlocal/ui");
        wait.until(d -> d.findElement(By.tagName("html")).getAttribute("data-load-ms") != null);
    }

    /** Clicks what {@code by} finds, finding it again if a poll redrew it in between. */
    void click(By by) {
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    void tab(String name) {
        browser.driver.findElement(By.id("tab-" + name)).click();
        wait.until(d -> d.findElement(By.id("view-" + name)).isDisplayed());
    }

    By replica(String secret, String region, String status) {
        return By.cssSelector("span.replica[data-secret='" + secret + "'][data-region='" + region + "'][data-status='" + status + "']");
    }

    void createWithReplicas(String name, ReplicaRegionType... replicas) {
        east.createSecret(b -> b.name(name).secretString("value-of-" + name).addReplicaRegions(replicas));
    }

    static ReplicaRegionType to(String region) {
        return ReplicaRegionType.builder().region(region).build();
    }

    @Test
    void replicasShowInProgressThenInSyncWhenTheClockIsAdvancedByAButton() {
        createWithReplicas("app/db", to("eu-west-1"), to("us-west-2"));
        createWithReplicas("app/api", to("eu-west-1"));
        open();

        wait.until(ExpectedConditions.visibilityOfElementLocated(replica("app/db", "eu-west-1", "InProgress")));
        assertTrue(browser.driver.findElement(By.id("estate")).getText().contains("eu-west-1 InProgress"));
        assertFalse(browser.driver.getPageSource().contains("value-of-app/db"), "values are never shown");

        tab("chaos");
        browser.driver.findElement(By.cssSelector("button[data-advance='PT1S']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "clock advanced by PT1S"));
        assertEquals(START.plusSeconds(1), emulator.clock().now(), "the button moved the emulator's clock");

        tab("estate");
        wait.until(ExpectedConditions.visibilityOfElementLocated(replica("app/db", "eu-west-1", "InSync")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(replica("app/db", "us-west-2", "InSync")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(replica("app/api", "eu-west-1", "InSync")));
        assertEquals("InSync", east.describeSecret(b -> b.secretId("app/db")).replicationStatus().get(0).statusAsString());

        // the secret's own view: versions and stages, replication history; never the value
        click(By.cssSelector("button[data-open$='|app/db']"));
        WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
        wait.until(d -> panel.getText().contains("ReplicationSucceeded"));
        assertTrue(panel.findElement(By.id("secret-versions")).getText().contains("AWSCURRENT"));
        assertFalse(panel.getText().contains("value-of-app/db"));
    }

    @Test
    void aSecretsViewShowsWhoHeldAwsCurrentWhenAndEachRotationStep() {
        String lambda = "arn:aws:lambda:us-east-1:000000000000:function:";
        String v1 = east.createSecret(b -> b.name("rot").secretString("{\"username\":\"app\",\"password\":\"pw1\"}")).versionId();
        emulator.scheduler().advance(Duration.ofMinutes(1));
        String v2 = east.putSecretValue(b -> b.secretId("rot").secretString("{\"username\":\"app\",\"password\":\"pw2\"}")).versionId();
        emulator.scheduler().advance(Duration.ofMinutes(1));
        String v3 = east.rotateSecret(b -> b.secretId("rot").rotationLambdaARN(lambda + "smlocal-password")).versionId();
        emulator.scheduler().advance(Duration.ZERO);
        var password = emulator.rotationFunctions().builtIn("smlocal-password");
        emulator.rotationFunctions().register("breaks-at-test", event -> {
            if (event.step().equals("testSecret")) throw new IllegalStateException("the database refused the new password");
            password.handle(event);
        });
        emulator.scheduler().advance(Duration.ofMinutes(1));
        east.rotateSecret(b -> b.secretId("rot").rotationLambdaARN(lambda + "breaks-at-test"));
        emulator.scheduler().advance(Duration.ZERO);
        assertEquals(v3, east.getSecretValue(b -> b.secretId("rot")).versionId(), "the failed rotation left v3 current");

        open();
        click(By.cssSelector("button[data-open$='|rot']"));
        WebElement history = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("secret-current-history")));
        List<String> holders = history.findElements(By.tagName("li")).stream().map(WebElement::getText).toList();
        assertEquals(3, holders.size(), holders.toString());
        assertTrue(holders.get(0).startsWith(v1) && holders.get(0).contains("until") && holders.get(0).contains("CreateSecret"), holders.get(0));
        assertTrue(holders.get(1).startsWith(v2) && holders.get(1).contains("PutSecretValue"), holders.get(1));
        assertTrue(holders.get(2).startsWith(v3) && holders.get(2).contains("RotationSucceeded"), holders.get(2));

        List<String> runs = browser.driver.findElements(By.cssSelector("#secret-rotations tbody tr")).stream()
                .map(WebElement::getText).toList();
        assertEquals(2, runs.size(), runs.toString());
        assertTrue(runs.get(0).contains("createSecret: succeeded") && runs.get(0).contains("setSecret: succeeded")
                && runs.get(0).contains("testSecret: failed") && runs.get(0).contains("finishSecret: not run")
                && runs.get(0).contains("the database refused the new password"), runs.get(0));
        assertTrue(runs.get(1).contains("finishSecret: succeeded"), runs.get(1));
        assertFalse(browser.driver.getPageSource().contains("pw1") || browser.driver.getPageSource().contains("pw2"),
                "values are never shown");
        browser.screenshot("secret");
    }

    @Test
    void aReplicaUnderABadKmsKeyTurnsFailedWithItsMessage() {
        east.createSecret(b -> b.name("keyed").secretString("x").addReplicaRegions(
                ReplicaRegionType.builder().region("us-west-2").kmsKeyId("alias/no-such-key").build(), to("eu-west-1")));
        open();
        wait.until(ExpectedConditions.visibilityOfElementLocated(replica("keyed", "us-west-2", "InProgress")));

        emulator.scheduler().advance(Duration.ofSeconds(1));

        WebElement failed = wait.until(ExpectedConditions.visibilityOfElementLocated(replica("keyed", "us-west-2", "Failed")));
        String message = east.describeSecret(b -> b.secretId("keyed")).replicationStatus().stream()
                .filter(r -> r.region().equals("us-west-2")).findFirst().orElseThrow().statusMessage();
        assertNotNull(message);
        assertTrue(failed.getText().contains(message), failed.getText() + " shows " + message);
        wait.until(ExpectedConditions.visibilityOfElementLocated(replica("keyed", "eu-west-1", "InSync")));
        createWithReplicas("orders/api", to("eu-west-1"), to("us-west-2"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(replica("orders/api", "us-west-2", "InProgress")));
        browser.screenshot("estate");

        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("f-status"))).selectByVisibleText("Failed");
        wait.until(d -> d.findElement(By.id("page-info")).getText().startsWith("1–1 of 1"));
    }

    @Test
    void anOutageSwitchedOnWithAClickMakesTheSdkCallFailAndHealingRestoresIt() {
        east.createSecret(b -> b.name("svc").secretString("x"));
        open();
        tab("chaos");
        click(By.id("outage-503-us-east-1"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("heal-us-east-1")));

        SecretsManagerException down = assertThrows(SecretsManagerException.class,
                () -> east.getSecretValue(b -> b.secretId("svc")));
        assertEquals(503, down.statusCode());
        assertNotNull(west.listSecrets().secretList(), "the other regions go on answering");
        wait.until(d -> d.findElement(By.id("outage-summary")).getText().contains("us-east-1 (503)"));
        browser.screenshot("chaos-outage");

        click(By.id("heal-us-east-1"));
        wait.until(d -> !d.findElement(By.id("heal-us-east-1")).isEnabled());
        assertEquals("x", east.getSecretValue(b -> b.secretId("svc")).secretString());
    }

    @Test
    void anEventArrivesLiveAndTheFilterNarrowsTheStream() {
        open();
        tab("events");
        east.createSecret(b -> b.name("fresh").secretString("top-secret-value"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#events tr[data-event='CreateSecret']")));
        assertFalse(browser.driver.findElement(By.id("events")).getText().contains("top-secret-value"));

        tab("chaos");
        browser.driver.findElement(By.cssSelector("button[data-advance='PT1H']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "clock advanced by PT1H"));
        tab("events");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#events tr[data-event='ClockMoved']")));

        browser.driver.findElement(By.id("ev-name")).sendKeys("Clock");
        wait.until(d -> d.findElements(By.cssSelector("#events tr[data-event='CreateSecret']")).isEmpty());
        assertEquals(1, browser.driver.findElements(By.cssSelector("#events tr[data-event='ClockMoved']")).size());
    }

    @Test
    void faultRulesAreAddedAndRemovedFromThePage() {
        east.createSecret(b -> b.name("f").secretString("x"));
        open();
        tab("chaos");
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("fault-action"))).selectByVisibleText("error");
        browser.driver.findElement(By.id("fault-operation")).sendKeys("GetSecretValue");
        browser.driver.findElement(By.id("fault-errortype")).sendKeys("InternalServiceError");
        browser.driver.findElement(By.id("fault-add")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("button[data-fault-remove]")));

        SecretsManagerException e = assertThrows(SecretsManagerException.class, () -> east.getSecretValue(b -> b.secretId("f")));
        assertEquals("InternalServiceError", e.awsErrorDetails().errorCode());

        click(By.cssSelector("button[data-fault-remove]"));
        wait.until(d -> d.findElements(By.cssSelector("button[data-fault-remove]")).isEmpty());
        assertEquals("x", east.getSecretValue(b -> b.secretId("f")).secretString());
    }

    @Test
    void controlsAreReachableAndUsableFromTheKeyboard() {
        open();
        // the tabs: focus the selected one, move with the arrow keys
        browser.driver.findElement(By.id("tab-estate")).sendKeys(Keys.ARROW_RIGHT);
        wait.until(d -> d.findElement(By.id("view-chaos")).isDisplayed());
        // then Tab through the page until the "+1 minute" button has the focus, and press Enter
        Actions keys = new Actions(browser.driver);
        String focused = "";
        for (int i = 0; i < 60 && !focused.equals("+1 minute"); i++) {
            keys.sendKeys(Keys.TAB).perform();
            focused = browser.driver.switchTo().activeElement().getText();
        }
        assertEquals("+1 minute", focused, "the clock buttons are reachable with Tab");
        keys.sendKeys(Keys.ENTER).perform();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "clock advanced by PT1M"));
        assertEquals(START.plusSeconds(60), emulator.clock().now());

        // every control is a native, focusable element
        Object unreachable = ((JavascriptExecutor) browser.driver).executeScript(
                "return [...document.querySelectorAll('[onclick],[data-open],[data-advance],[data-outage],[data-heal]')]"
                        + ".filter(e => !['BUTTON','A','INPUT','SELECT'].includes(e.tagName)).length;");
        assertEquals(0L, unreachable);
    }

    @Test
    void textAndBadgesHaveReadableContrast() {
        east.createSecret(b -> b.name("c").secretString("x").addReplicaRegions(to("eu-west-1"),
                ReplicaRegionType.builder().region("us-west-2").kmsKeyId("alias/none").build()));
        emulator.scheduler().advance(Duration.ofSeconds(1));
        createWithReplicas("d", to("eu-west-1"));
        open();
        wait.until(ExpectedConditions.visibilityOfElementLocated(replica("c", "us-west-2", "Failed")));
        // WCAG 2 contrast ratio of each element's text against the first opaque background behind it
        @SuppressWarnings("unchecked")
        List<Object> low = (List<Object>) ((JavascriptExecutor) browser.driver).executeScript(String.join("\n",
                "const rgb = s => s.match(/[\\d.]+/g).map(Number);",
                "const lum = c => { const v = c.slice(0,3).map(x => { x /= 255; return x <= 0.03928 ? x/12.92 : Math.pow((x+0.055)/1.055, 2.4); });",
                "  return 0.2126*v[0] + 0.7152*v[1] + 0.0722*v[2]; };",
                "const bg = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);",
                "  if (c.length < 4 || c[3] > 0) return c; } return [255,255,255]; };",
                "const out = [];",
                "for (const e of document.querySelectorAll('.badge, button, th, td, label, h1, h2, .msg, header span')) {",
                "  if (!e.offsetParent && e.tagName !== 'H1') continue;",
                "  const a = lum(rgb(getComputedStyle(e).color)), b = lum(bg(e));",
                "  const ratio = (Math.max(a,b) + 0.05) / (Math.min(a,b) + 0.05);",
                "  if (ratio < 4.5) out.push(e.tagName + ' ' + e.textContent.trim().slice(0,30) + ' ' + ratio.toFixed(2)); }",
                "return out;"));
        assertEquals(List.of(), low, "elements below WCAG AA contrast (4.5:1)");
    }

    /**
     * 1,000 secrets, each with replicas in the two other regions (3,000 regional copies), made
     * through the SDK: the page's first render is measured in the browser (navigation start to the
     * estate table drawn) and written to target/dashboard-load.txt. The bound asserted is loose on
     * purpose (a shared CI machine); the number is what gets reported.
     */
    @Test
    void thePageLoadsQuicklyWithAThousandSecretsInThreeRegionsAndPages() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int part = t;
                done.add(pool.submit(() -> {
                    try (SecretsManagerClient c = sm("us-east-1")) {
                        for (int i = part; i < 1000; i += 4) {
                            String name = String.format("load/%04d", i);
                            c.createSecret(b -> b.name(name).secretString("v").addReplicaRegions(to("eu-west-1"), to("us-west-2")));
                        }
                    }
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        emulator.scheduler().advance(Duration.ofSeconds(1));
        assertEquals(3000, emulator.secrets().summaries().size());

        List<Long> inPage = new ArrayList<>();
        List<Long> wall = new ArrayList<>();
        List<String> estateFetch = new ArrayList<>();
        for (int run = 0; run < 5; run++) {
            long t0 = System.nanoTime();
            open();
            wall.add((System.nanoTime() - t0) / 1_000_000);
            inPage.add(Long.parseLong(browser.driver.findElement(By.tagName("html")).getAttribute("data-load-ms")));
            estateFetch.add(browser.driver.findElement(By.tagName("html")).getAttribute("data-estate-ms"));
        }
        assertEquals(100, browser.driver.findElements(By.cssSelector("#estate tbody tr")).size());
        assertTrue(browser.driver.findElement(By.id("page-info")).getText().contains("1–100 of 1000"));
        long best = inPage.stream().mapToLong(Long::longValue).min().orElseThrow();
        long median = inPage.stream().sorted().toList().get(2);
        String report = "dashboard first render with 1000 secrets x 3 regions: in-page ms " + inPage
                + " (median " + median + ", best " + best + "), of which the estate fetch ms " + estateFetch
                + "; driver.get()+render wall ms " + wall;
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "dashboard-load.txt"), report + "\n");
        System.out.println(report);
        assertTrue(best < 2000, report);

        // paging and the search box reach any of them
        browser.driver.findElement(By.id("page-next")).click();
        wait.until(d -> d.findElement(By.id("page-info")).getText().startsWith("101–200 of 1000"));
        browser.driver.findElement(By.id("f-q")).sendKeys("load/0777");
        wait.until(d -> d.findElement(By.id("page-info")).getText().startsWith("1–1 of 1"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(replica("load/0777", "us-west-2", "InSync")));
    }

    /**
     * 10,000 secrets x 3 regions (30,000 regional copies): the page stays usable through paging.
     * Seeded in-process through the dispatcher (the SDK path is the test above). Too slow for CI's
     * minute, so it runs on request: {@code -Dsmlocal.dashboard.large=true}; the numbers go to
     * target/dashboard-load-10k.txt.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "smlocal.dashboard.large", matches = "true")
    void tenThousandSecretsInThreeRegionsStayUsable() throws Exception {
        for (int i = 0; i < 10_000; i++) {
            String body = String.format("{\"Name\":\"big/%05d\",\"SecretString\":\"v\",\"ClientRequestToken\":\"%s\","
                    + "\"AddReplicaRegions\":[{\"Region\":\"eu-west-1\"},{\"Region\":\"us-west-2\"}]}",
                    i, java.util.UUID.randomUUID());
            var answer = emulator.dispatcher().dispatch("secretsmanager.CreateSecret", null, null,
                    body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(200, answer.status(), () -> new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        emulator.scheduler().advance(Duration.ofSeconds(1));
        assertEquals(30_000, emulator.secrets().summaries().size());
        List<Long> inPage = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            open();
            inPage.add(Long.parseLong(browser.driver.findElement(By.tagName("html")).getAttribute("data-load-ms")));
        }
        wait.until(d -> d.findElement(By.id("page-info")).getText().contains("1–100 of 10000"));
        long t0 = System.nanoTime();
        browser.driver.findElement(By.id("f-q")).sendKeys("big/09999");
        wait.until(d -> d.findElement(By.id("page-info")).getText().startsWith("1–1 of 1"));
        long searchMs = (System.nanoTime() - t0) / 1_000_000;
        String report = "dashboard first render with 10000 secrets x 3 regions: in-page ms " + inPage
                + "; search to one row, wall ms (includes the 200 ms typing pause) " + searchMs;
        Files.writeString(Path.of("target", "dashboard-load-10k.txt"), report + "\n");
        System.out.println(report);
    }
}
