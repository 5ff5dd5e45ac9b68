import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { type DevProcess, startDevProcess } from "../../support/dev-process.ts";

const artifacts = join(import.meta.dir, "../../../test-artifacts");
const SYMBOLS = ["AAPL", "MSFT", "OANDA:EUR_USD"];
/** Per test: a pipeline start, a first page build and a few simulated minutes fit easily. */
const TEST_TIMEOUT_MS = 90_000;

/**
 * The simulator's clock starts 20 minutes back and runs 30x until it meets the wall clock (about 40 s):
 * a simulated minute passes every 2 s, so bars close and new ones open within seconds, and the page has
 * history at once. A short allowed lateness closes them promptly.
 */
const pipelineEnv = {
  SYMBOLS: SYMBOLS.join(","),
  SIMULATOR_RATE: "90",
  SIMULATOR_BACKFILL_MS: String(20 * 60_000),
  SIMULATOR_BACKFILL_SPEED: "30",
  BAR_ALLOWED_LATENESS_MS: "500",
};

let browser: Browser;
beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  });
}, TEST_TIMEOUT_MS);
afterAll(async () => {
  await browser?.close();
});

/** A fresh browser context (its own storage) with a page whose console errors are collected. */
const openPage = async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`${error.name}: ${error.message}`));
  return { page, errors, close: () => context.close() };
};

const chartState = (page: Page) =>
  page.locator("#chart").evaluate((element) => ({ ...(element as HTMLElement).dataset }));

/** The sum of the samples of `/metrics` named `name` whose labels include `labels`. */
const metric = async (dev: DevProcess, name: string, labels = "") => {
  const text = await (await fetch(`${dev.url}/metrics`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => line.includes(labels))
    .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
};

const eventually = async (check: () => Promise<boolean>, what: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(100);
  }
};

/**
 * Waits until `predicate` holds on the chart's data attributes (polled from here: the page's CSP
 * refuses the string evaluation `waitForFunction` would use).
 */
const chartReaches = (
  page: Page,
  predicate: (chart: Record<string, string | undefined>) => boolean,
  what: string,
) => eventually(async () => predicate(await chartState(page)), what, 20_000);

describe("the live page against the dev pipeline", () => {
  let dev: DevProcess;
  beforeAll(async () => {
    dev = await startDevProcess(pipelineEnv);
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    await dev?.stop();
  });

  test(
    "shows live bars, trades and health; resolutions change the spacing; Faro reaches /metrics",
    async () => {
      const { page, errors, close } = await openPage();
      try {
        await page.goto(`${dev.url}/`);
        await chartReaches(page, (chart) => Number(chart.bars) >= 3 && chart.resolution === "1m", "1m bars");
        expect(await page.locator("#symbol option").allTextContents()).toEqual(
          expect.arrayContaining(SYMBOLS),
        );
        expect((await chartState(page)).spacing).toBe("60");

        // The open bar moves with live updates, then a new bar opens.
        const before = await chartState(page);
        await chartReaches(page, (chart) => Number(chart.updates) > Number(before.updates), "a live update");
        await chartReaches(page, (chart) => Number(chart.lastTime) > Number(before.lastTime), "a new bar");

        await page.locator("#tape li").nth(9).waitFor();
        await page.locator('#health[data-stream="live"]').waitFor();
        const health = await page.locator("#health").textContent();
        expect(health).toContain("trades/s");
        expect(health).toContain("WebSocket 1/1 connected");
        for (const symbol of SYMBOLS) expect(health).toContain(symbol);

        await page.screenshot({ path: join(artifacts, "live-page-1m.png") });
        await page.click('button[data-resolution="5m"]');
        await chartReaches(page, (chart) => chart.resolution === "5m" && chart.spacing === "300", "5m bars");
        expect(await page.locator('button[data-resolution="5m"]').getAttribute("aria-pressed")).toBe("true");
        const fiveMinutes = await chartState(page);
        await chartReaches(
          page,
          (chart) => Number(chart.updates) > Number(fiveMinutes.updates),
          "a 5m update",
        );

        await page.selectOption("#symbol", "OANDA:EUR_USD");
        await chartReaches(
          page,
          (chart) => chart.symbol === "OANDA:EUR_USD" && Number(chart.bars) >= 1,
          "FX bars",
        );
        expect(page.url()).toContain("symbol=OANDA%3AEUR_USD&resolution=5m");
        await page.screenshot({ path: join(artifacts, "live-page.png") });

        await eventually(
          async () =>
            (await metric(dev, "web_page_loads_total")) >= 1 &&
            (await metric(dev, "web_vitals_seconds_count", 'name="ttfb"')) >= 1 &&
            (await metric(dev, "web_request_duration_seconds_count", 'endpoint="bars"')) >= 2 &&
            (await metric(dev, "web_request_duration_seconds_count", 'endpoint="stream"')) >= 1,
          "the page's Faro telemetry on /metrics",
        );
        expect(errors).toEqual([]);

        const typeErrors = await metric(dev, "web_errors_total", 'type="TypeError"');
        await page.evaluate(() => {
          setTimeout(() => {
            throw new TypeError("thrown by the page test");
          });
        });
        await eventually(
          async () => (await metric(dev, "web_errors_total", 'type="TypeError"')) > typeErrors,
          "the page's TypeError counted on /metrics",
        );
      } finally {
        await close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "a link to a symbol or resolution that is not there says what the page shows instead",
    async () => {
      const { page, errors, close } = await openPage();
      try {
        await page.goto(`${dev.url}/#symbol=NOPE&resolution=7m`);
        await chartReaches(page, (chart) => Number(chart.bars) >= 1 && chart.resolution === "1m", "1m bars");
        const notice = page.locator("#notice");
        expect(await notice.isVisible()).toBe(true);
        const shown = await page.locator("#symbol").inputValue();
        expect(await notice.textContent()).toBe(
          `No symbol NOPE and no resolution 7m here: showing ${shown} at 1m.`,
        );
        await page.click('button[data-resolution="5m"]');
        expect(await notice.isVisible()).toBe(false);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});

describe("the live page with API_TOKEN set", () => {
  const token = "page-test-token";
  let dev: DevProcess;
  beforeAll(async () => {
    dev = await startDevProcess({ ...pipelineEnv, API_TOKEN: token });
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    await dev?.stop();
  });

  test(
    "asks for the token once, asks again after a wrong one, and streams with it",
    async () => {
      const { page, errors, close } = await openPage();
      try {
        await page.goto(`${dev.url}/`);
        const dialog = page.locator("#token-dialog");
        await dialog.locator("input").fill("not-the-token");
        await dialog.locator("button").click();
        await page.locator("#token-dialog .error").waitFor({ state: "visible" });
        await dialog.locator("input").fill(token);
        await dialog.locator("button").click();
        await chartReaches(page, (chart) => Number(chart.bars) >= 1, "bars");
        const before = await chartState(page);
        await chartReaches(page, (chart) => Number(chart.updates) > Number(before.updates), "a live update");
        await page.locator('#health[data-stream="live"]').waitFor();
        expect(errors.every((error) => error.includes("401"))).toBe(true);

        await page.reload();
        await chartReaches(page, (chart) => Number(chart.bars) >= 1, "bars");
        await page.locator('#health[data-stream="live"]').waitFor();
        expect(await dialog.evaluate((element) => (element as HTMLDialogElement).open)).toBe(false);
        expect((await fetch(`${dev.url}/v1/symbols`)).status).toBe(401);
      } finally {
        await close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
