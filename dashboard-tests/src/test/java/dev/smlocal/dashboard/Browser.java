package dev.smlocal.dashboard;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Headless Chromium through chromedriver, both from the machine (Debian's {@code chromium} and
 * {@code chromium-driver}; override with {@code -Dsmlocal.chromium=} / {@code -Dsmlocal.chromedriver=}
 * or {@code SMLOCAL_CHROMIUM} / {@code SMLOCAL_CHROMEDRIVER}). Missing browser: the tests are
 * skipped on a developer's machine and FAIL when {@code CI=true}, so CI never passes without them.
 */
final class Browser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    private final ChromeDriverService service;

    private Browser(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    static Browser start() {
        File chromium = find("smlocal.chromium", "SMLOCAL_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
        File chromedriver = find("smlocal.chromedriver", "SMLOCAL_CHROMEDRIVER", "/usr/bin/chromedriver",
                "/usr/lib/chromium/chromedriver");
        if (chromium == null || chromedriver == null) {
            String why = "headless Chromium is needed for the dashboard tests: install Debian's chromium and "
                    + "chromium-driver (.ci/run does), found browser=" + chromium + " driver=" + chromedriver;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why);
            Assumptions.abort(why);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver).usingAnyFreePort().withSilent(true).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--disable-component-update");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(Level.WARNING);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20)).scriptTimeout(Duration.ofSeconds(10));
        return new Browser(service, driver);
    }

    private static File find(String property, String env, String... candidates) {
        String given = System.getProperty(property, System.getenv(env));
        if (given != null && !given.isBlank()) return new File(given).canExecute() ? new File(given) : null;
        for (String c : candidates) {
            File f = new File(c);
            if (f.canExecute()) return f;
        }
        return null;
    }

    /** The console's SEVERE entries since the last call (errors, failed loads, uncaught exceptions). */
    List<String> severeConsoleEntries() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString).toList();
    }

    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path p = SCREENSHOTS.resolve(name + ".png");
            Files.write(p, driver.getScreenshotAs(OutputType.BYTES));
            return p;
        } catch (IOException e) {
            throw new AssertionError("cannot save a screenshot", e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
