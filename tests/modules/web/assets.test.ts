import { describe, expect, test } from "bun:test";
import { brotliDecompressSync } from "node:zlib";
import { createWebFixture } from "./support.ts";

const { app } = createWebFixture();

const page = async (fixture = { app }) => {
  const response = await fixture.app.request("/");
  const html = await response.text();
  const script = /<script type="module" src="\/assets\/([^"]+)"/.exec(html)?.[1];
  const style = /<link rel="stylesheet" href="\/assets\/([^"]+)"/.exec(html)?.[1];
  const config = JSON.parse(
    /<script id="tickflow-config" type="application\/json">(.*?)<\/script>/.exec(html)![1]!,
  );
  return { response, html, script: script!, style: style!, config };
};

describe("the live page", () => {
  test("is served with a strict CSP and revalidated by ETag", async () => {
    const { response, script, style } = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(script).toMatch(/^main-[a-z0-9]+\.js$/);
    expect(style).toMatch(/^styles-[a-z0-9]+\.css$/);
    const again = await app.request("/", { headers: { "if-none-match": response.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  test("tells the browser where Faro goes and whether a token is needed", async () => {
    expect((await page()).config).toMatchObject({ faroUrl: "/faro/collect", authRequired: false });
    const secured = createWebFixture({
      token: "t0ken",
      faroCollectorUrl: "http://alloy.local:12347/collect",
    });
    const { config, response, html } = await page(secured);
    expect(config).toMatchObject({ faroUrl: "http://alloy.local:12347/collect", authRequired: true });
    expect(response.headers.get("content-security-policy")).toContain(
      "connect-src 'self' http://alloy.local:12347",
    );
    expect(html).not.toContain("t0ken");
  });

  test("loads nothing from another origin: every script and style is on this server", async () => {
    const { html } = await page();
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="(https?:)?\/\//);
  });
});

describe("assets", () => {
  test("are content-hashed, immutable, and compressed as the client accepts", async () => {
    const { script } = await page();
    const plain = await app.request(`/assets/${script}`, { headers: { "accept-encoding": "identity" } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toStartWith("text/javascript");
    expect(plain.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(plain.headers.get("content-encoding")).toBeNull();
    const body = new Uint8Array(await plain.arrayBuffer());

    const br = await app.request(`/assets/${script}`, {
      headers: { "accept-encoding": "gzip, deflate, br" },
    });
    expect(br.headers.get("content-encoding")).toBe("br");
    const brBody = new Uint8Array(await br.arrayBuffer());
    expect(brotliDecompressSync(brBody).equals(Buffer.from(body))).toBe(true);

    const gzip = await app.request(`/assets/${script}`, { headers: { "accept-encoding": "gzip, br;q=0" } });
    expect(gzip.headers.get("content-encoding")).toBe("gzip");
    expect(Bun.gunzipSync(new Uint8Array(await gzip.arrayBuffer()))).toEqual(body);

    const cached = await app.request(`/assets/${script}`, {
      headers: { "if-none-match": plain.headers.get("etag")! },
    });
    expect(cached.status).toBe(304);
  });

  test("are the minified production builds, within the size budget", async () => {
    const { script, style } = await page();
    const js = await (
      await app.request(`/assets/${script}`, { headers: { "accept-encoding": "identity" } })
    ).text();
    // lightweight-charts' development build checks data order at run time and is twice the size.
    expect(js).not.toContain("asc ordered by time");
    expect(js.length).toBeLessThan(400_000);
    const sent = await app.request(`/assets/${script}`, { headers: { "accept-encoding": "br" } });
    expect((await sent.arrayBuffer()).byteLength).toBeLessThan(120_000);
    const css = await app.request(`/assets/${style}`);
    expect(css.headers.get("content-type")).toStartWith("text/css");
  });

  test("an unknown asset is a 404", async () => {
    expect((await app.request("/assets/main-00000000.js")).status).toBe(404);
    expect((await app.request("/assets/..%2F..%2Fpackage.json")).status).toBe(404);
  });
});
