package io.deepmnist.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.deepmnist.ApiClient;
import io.deepmnist.ExternalTool;
import io.deepmnist.SystemTools;
import io.deepmnist.TestHome;
import io.deepmnist.engine.ComputeDevice;
import io.deepmnist.engine.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The page at / in a headless Chromium (found by {@link SystemTools}), driven by Selenium with the driver and browser given explicitly
 * (nothing is downloaded): train a softmax job from the form and watch it, then draw a digit and get an answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExternalTool
class WebPageTests {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestHome.register(registry);
    }

    @LocalServerPort
    int port;

    private static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        Path chromium = SystemTools.chromium();
        Path chromedriver = SystemTools.chromedriver();
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void screenshot(String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private void noConsoleErrors() {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("JavaScript console errors").isEmpty();
    }

    @Test
    void trainAJobFromTheFormWatchItThenDrawADigitAndGetAnAnswer() throws Exception {
        browser.manage().logs().get(LogType.BROWSER); // only this test's entries count
        browser.manage().window().setSize(new Dimension(1280, 1000));
        browser.get("http://127.0.0.1:" + port + "/");
        // The page redraws its tables on events: a row found in one poll may be replaced before it is read.
        WebDriverWait wait = (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(90)).ignoring(StaleElementReferenceException.class);
        wait.until(d -> js("return window.deepMnist && window.deepMnist.charts.training !== undefined") == Boolean.TRUE);
        assertThat(browser.findElement(By.name("steps")).getDomAttribute("value")).isNull();
        assertThat(browser.findElement(By.name("steps")).getDomProperty("value")).isEqualTo("1000");

        browser.findElement(By.id("start-job")).click();

        wait.until(d -> ((Number) js("return window.deepMnist.charts.training.data.datasets[0].data.length")).intValue() >= 5);
        wait.until(d -> d.findElement(By.id("job-state")).getText().equals("SUCCEEDED"));
        wait.until(d -> d.findElement(By.id("job-figures")).getText().contains("test accuracy 0.9"));
        wait.until(d -> d.findElements(By.cssSelector("#jobs tbody tr .state.SUCCEEDED")).size() == 1);
        assertThat(((Number) js("return window.deepMnist.charts.training.data.datasets[0].data.length")).intValue()).isEqualTo(11);
        assertThat(((Number) js("return window.deepMnist.charts.training.data.datasets[0].data.at(-1).x")).intValue())
                .as("the chart reaches the last step").isEqualTo(1000);
        assertThat(browser.findElement(By.id("job-checkpoints")).getText()).contains("step 1000");
        String precision = Precision.AUTO.resolve(ComputeDevice.CPU).precision().id();
        // One read in the page: the jobs table is drawn anew on every event, so an element found first can be gone
        // (stale) by the time its text is asked for.
        assertThat(js("return document.querySelector('#jobs tbody tr td:nth-child(4)').innerText.trim()"))
                .as("device and precision").isEqualTo("CPU:0 " + precision);
        wait.until(d -> !d.findElement(By.id("job-promote")).isEnabled());
        assertThat(browser.findElement(By.id("job-promote")).getDomProperty("title")).contains("already the default");
        assertThat(((Number) js("const w = document.querySelector('.table-wrap'); return w.scrollWidth - w.clientWidth")).intValue())
                .as("the jobs table fits its card at 1280 pixels").isLessThanOrEqualTo(0);
        screenshot("train.png");

        WebElement pad = browser.findElement(By.id("pad"));
        new Actions(browser).moveToElement(pad, -10, -110).clickAndHold()
                .moveByOffset(20, 0).moveByOffset(20, 0).moveByOffset(0, 40).moveByOffset(-10, 60).moveByOffset(-10, 60)
                .release().perform();

        wait.until(d -> d.findElements(By.cssSelector("#probabilities li")).size() == 10);
        assertThat(browser.findElement(By.id("digit")).getText()).matches("[0-9]");
        assertThat(browser.findElement(By.id("answered-by")).getText()).startsWith("answered by model softmax-");
        assertThat(((Number) js("return window.deepMnist.charts.probabilities.data.datasets[0].data.length")).intValue()).isEqualTo(10);
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        screenshot("draw.png");

        // "Wrong? It is a ...": the label reaches the model's live accuracy.
        new Select(browser.findElement(By.id("feedback-digit"))).selectByVisibleText("4");
        browser.findElement(By.id("feedback-send")).click();
        wait.until(d -> d.findElement(By.id("feedback-said")).getText().contains("recorded as a 4"));
        String model = browser.findElement(By.id("answered-by")).getText().substring("answered by model ".length());
        assertThat(new ApiClient(port).get("/models/" + model + "/feedback").json().get("labelled").asInt()).isEqualTo(1);

        // The Models view: the version with its aliases, share and labelled accuracy, and each change as it happens.
        By row = By.cssSelector("#models-table tbody tr[data-model='" + model + "']");
        wait.until(d -> d.findElement(row).getText().contains("of 1 ("));
        assertThat(browser.findElement(row).getText()).contains("default").contains("100 %");
        assertThat(((Number) js("return window.deepMnist.charts.feedback.data.datasets.length")).intValue()).isEqualTo(1);
        wait.until(d -> d.findElement(By.id("model-events")).getText().contains("default → " + model));
        ApiClient api = new ApiClient(port);
        assertThat(api.send("PUT", "/models/aliases/challenger", "application/json", "{\"modelId\":\"" + model + "\"}").status()).isEqualTo(200);
        assertThat(api.send("PUT", "/models/traffic", "application/json",
                "{\"routes\":[{\"alias\":\"default\",\"weight\":90},{\"alias\":\"challenger\",\"weight\":10}]}").status()).isEqualTo(200);
        wait.until(d -> d.findElement(By.id("traffic-line")).getText().contains("default 90 %, challenger 10 %"));
        wait.until(d -> d.findElement(row).getText().contains("challenger, default"));
        assertThat(browser.findElement(By.id("model-events")).getText()).contains("challenger → " + model)
                .contains("traffic: default 90 %, challenger 10 %");
        js("document.getElementById('models').scrollIntoView()");
        screenshot("models.png");
        assertThat(api.send("DELETE", "/models/traffic", null, null).status()).isEqualTo(204);

        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("phone.png");
        noConsoleErrors();
    }

    @Test
    void aRefusedRequestShowsTheProblemDetail() {
        browser.get("http://127.0.0.1:" + port + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> js("return window.deepMnist && window.deepMnist.charts.training !== undefined") == Boolean.TRUE);
        js("document.getElementById('job-form').steps.value = '0'; document.getElementById('job-form').noValidate = true;");
        browser.findElement(By.id("start-job")).click();
        wait.until(d -> d.findElement(By.id("error")).isDisplayed());
        assertThat(browser.findElement(By.id("error-text")).getText()).contains("steps: must be greater than or equal to 1");
    }
}
