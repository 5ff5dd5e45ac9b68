import type { Asset, AssetBundle } from "./assets.ts";

/** What the browser code reads from the page (`#tickflow-config`). */
export interface PageConfig {
  /** Where Faro sends telemetry. */
  faroUrl: string;
  /** True when `/v1` requires a bearer token: the page asks for it before its first request. */
  authRequired: boolean;
  /** Identifies the bundle in telemetry. */
  version: string;
}

/** JSON inside a script element: `<` is escaped so no value can close the element. */
const inlineJson = (value: unknown) => JSON.stringify(value).replaceAll("<", "\\u003c");

const escapeAttribute = (value: string) => value.replaceAll("&", "&amp;").replaceAll('"', "&quot;");

const html = (bundle: AssetBundle, config: PageConfig) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>tickflow · live market</title>
    <link rel="icon" href="data:," />
${bundle.styles.map((name) => `    <link rel="stylesheet" href="/assets/${escapeAttribute(name)}" />`).join("\n")}
    <script id="tickflow-config" type="application/json">${inlineJson(config)}</script>
    <script type="module" src="/assets/${escapeAttribute(bundle.script)}"></script>
  </head>
  <body>
    <header class="toolbar">
      <h1>tickflow</h1>
      <label>Symbol <select id="symbol" aria-label="Symbol"></select></label>
      <div id="resolutions" class="resolutions" role="group" aria-label="Resolution"></div>
      <output id="legend" class="legend"></output>
    </header>
    <p id="notice" class="notice" role="status" hidden></p>
    <section id="health" class="health" aria-label="Pipeline health"></section>
    <main class="layout">
      <div id="chart" class="chart" aria-label="Candlestick chart"></div>
      <aside class="tape">
        <h2>Trades <small>(UTC)</small></h2>
        <ol id="tape"></ol>
      </aside>
    </main>
    <footer class="credits">
      Charts by <a href="https://www.tradingview.com/lightweight-charts/" rel="noreferrer">TradingView Lightweight Charts™</a>
      · <a href="/docs">API docs</a> · <a href="/metrics">metrics</a>
    </footer>
    <dialog id="token-dialog">
      <form method="dialog">
        <label for="token-input">This server needs an API token</label>
        <input id="token-input" type="password" autocomplete="off" required />
        <p id="token-error" class="error" hidden>That token was not accepted.</p>
        <button type="submit">Continue</button>
      </form>
    </dialog>
  </body>
</html>
`;

/** The live page as a cacheable asset (revalidated by ETag on every load). */
export const renderPage = (bundle: AssetBundle, config: PageConfig): Asset => {
  const body = new TextEncoder().encode(html(bundle, config));
  const etag = `"${Bun.hash(body).toString(36)}"`;
  return {
    type: "text/html; charset=utf-8",
    etag,
    body,
    encoded: { gzip: Bun.gzipSync(body) },
  };
};

/** Only this server's scripts and styles; connections to it and to the Faro collector. */
export const contentSecurityPolicy = (faroUrl: string) => {
  const collector = URL.canParse(faroUrl) ? ` ${new URL(faroUrl).origin}` : "";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${collector}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
};
