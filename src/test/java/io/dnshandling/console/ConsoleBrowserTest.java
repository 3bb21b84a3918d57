package io.dnshandling.console;

import static io.dnshandling.support.StoredCertificates.activeDomain;
import static io.dnshandling.support.StoredCertificates.certificate;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import io.dnshandling.core.RandomIds;
import io.dnshandling.support.Rows;
import io.dnshandling.support.ScopedTokensProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's headless Chromium driven through Debian's chromedriver
 * (Selenium), against the service with authentication on. Screenshots go to
 * target/console-screenshots.
 */
@QuarkusTest
@TestProfile(ScopedTokensProfile.class)
class ConsoleBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static WebDriver browser;
    private static Path profile;

    @TestHTTPResource("/console/")
    URL console;

    @Inject
    Rows rows;

    @BeforeAll
    static void startBrowser() throws IOException {
        profile = Files.createTempDirectory("console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // As root, without a GPU, and without reaching for Google's hosts, which this machine cannot reach.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1500",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void removeDomains() {
        rows.update("DELETE FROM domains WHERE domain_name LIKE 'console-%.example.com'");
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    private void signIn(String token) {
        browser.get(console.toString());
        browser.manage().deleteAllCookies();
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        WebElement field = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.sendKeys(token);
        browser.findElement(By.cssSelector("#login-form button")).click();
    }

    private String message() {
        return browser.findElement(By.id("message")).getText();
    }

    private void screenshot(String name) throws IOException {
        // What the page shows is words and values: a part left out must not come out as "null" or "undefined".
        assertThat(browser.findElement(By.id("view")).getText()).doesNotContainPattern("\\b(null|undefined|NaN)\\b");
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void an_operator_signs_in_filters_and_opens_a_failing_domain_to_read_its_diagnosis() throws IOException {
        String name = "console-failing-" + RandomIds.label(8) + ".example.com";
        String failing = activeDomain(rows, name);
        String cert = certificate(rows, failing, "now() - interval '91 days'", "now() - interval '3 hours'");
        rows.update("UPDATE certificates SET renewal_error = ?, renewal_attempts = 7, renewal_failing_since = now() - interval '9 days',"
                + " renew_at = now() + interval '30 minutes', issued_at = not_before WHERE id = ?",
                "urn:ietf:params:acme:error:unauthorized: Incorrect TXT record found at _acme-challenge." + name, cert);
        String healthy = activeDomain(rows, "console-healthy-" + RandomIds.label(8) + ".example.com");
        certificate(rows, healthy, "now() - interval '5 days'", "now() + interval '85 days'");

        signIn("not-a-token");
        waiting().until(d -> message().contains("The token was refused"));

        signIn(ScopedTokensProfile.READER);
        waiting().until(ExpectedConditions.textToBe(By.id("view-title"), "Overview"));
        WebElement attention = browser.findElement(By.id("attention"));
        assertThat(attention.getText()).contains(name).contains("The certificate expired at").contains("Incorrect TXT record found");
        assertThat(browser.findElement(By.id("expiry")).findElements(By.cssSelector("tbody tr"))).hasSize(13);
        screenshot("overview");

        browser.findElement(By.linkText("Domains")).click();
        WebElement filter = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("filter-certificate_state")));
        new Select(filter).selectByValue("expired");
        browser.findElement(By.id("filter-name")).sendKeys("console-");
        browser.findElement(By.cssSelector("form.filters button")).click();
        waiting().until(d -> d.getCurrentUrl().contains("certificate_state=expired"));
        // The list is drawn again when the filtered page arrives: its rows are read afresh until they
        // are the filtered ones (a table found before that was replaced under the test once).
        List<String> listed = waiting().ignoring(StaleElementReferenceException.class).until(d -> {
            List<String> rows = d.findElements(By.cssSelector("#domains tbody tr")).stream().map(WebElement::getText).toList();
            return rows.size() == 1 && rows.get(0).contains(name) ? rows : null;
        });
        assertThat(listed).hasSize(1).allMatch(row -> row.contains(name) && row.contains("expired"));
        screenshot("domains-filtered");

        browser.findElement(By.linkText(name)).click();
        waiting().until(ExpectedConditions.textToBe(By.id("view-title"), name));
        WebElement checks = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("checks")));
        assertThat(checks.getText()).contains("certificate").contains("The certificate for " + name + " expired at")
                .contains("clients see a certificate error").contains("Its renewal is failing (attempt 7)");
        assertThat(browser.findElement(By.id("certificate-state")).getText()).isEqualTo("expired");
        // Its certificate's metadata, read from what is stored with it (the chain here is not a real one).
        assertThat(waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("certificate-facts"))).getText())
                .contains("Names").contains(name).contains("Expires");
        screenshot("domain-diagnosis");

        // A read token may look, not act.
        browser.findElement(By.xpath("//button[text()='Issue certificate']")).click();
        waiting().until(d -> message().contains("This token may not issue certificate: token 'reader' does not have the scope domains:write"));
    }

    @Test
    void a_write_token_deletes_a_domain_from_its_page() {
        String id = given().header("Authorization", "Bearer " + ScopedTokensProfile.WRITER).contentType(ContentType.JSON)
                .body("{\"domain_name\": \"console-gone-" + RandomIds.label(8) + ".example.com\"}").post("/domains")
                .then().statusCode(201).extract().path("id");
        signIn(ScopedTokensProfile.WRITER);
        waiting().until(ExpectedConditions.textToBe(By.id("view-title"), "Overview"));
        browser.get(console + "#/domains/" + id);
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("checks")));
        browser.findElement(By.xpath("//button[text()='Delete']")).click();
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(d -> message().startsWith("Deleted console-gone-"));
        given().header("Authorization", "Bearer " + ScopedTokensProfile.WRITER).get("/domains/" + id).then().statusCode(404);
    }

    @Test
    void every_control_has_a_label_and_the_pages_carry_their_policy() {
        signIn(ScopedTokensProfile.READER);
        waiting().until(ExpectedConditions.textToBe(By.id("view-title"), "Overview"));
        browser.get(console + "#/domains");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("filter-name")));
        Object unlabelled = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('input, select, textarea')].filter(e => e.labels.length === 0).map(e => e.id)");
        assertThat((List<?>) unlabelled).isEmpty();
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");

        given().redirects().follow(false).get("/console").then().statusCode(301).header("Location", endsWith("/console/"));
        given().get("/console/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Referrer-Policy", "no-referrer")
                .body(containsString("<label for=\"token\">API token</label>"));
        // The pages hold no data: the API behind them still wants the token.
        given().get("/fleet").then().statusCode(401);
    }
}
