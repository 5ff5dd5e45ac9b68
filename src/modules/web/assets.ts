import { promisify } from "node:util";
import { brotliCompress, constants } from "node:zlib";

const brotli = promisify(brotliCompress);

type Bytes = Uint8Array<ArrayBuffer>;

/** One bundled file, with its compressed forms. */
export interface Asset {
  type: string;
  /** Strong ETag: the content hash of the file. */
  etag: string;
  body: Bytes;
  /** Compressed forms of `body`, by content encoding. */
  encoded: Partial<Record<Encoding, Bytes>>;
}

/** Content encodings served, preferred first. */
const encodings = ["br", "gzip"] as const;
type Encoding = (typeof encodings)[number];

/** The live page's bundle: content-hashed file names, so a file can be cached forever. */
export interface AssetBundle {
  /** File name of the entry script. */
  script: string;
  /** File names of the style sheets. */
  styles: string[];
  files: ReadonlyMap<string, Asset>;
  /** Identifies this build (the entry script's hash). */
  version: string;
}

const compress = async (body: Bytes) => ({
  br: new Uint8Array(await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })),
  gzip: Bun.gzipSync(body, { level: 9 }),
});

/**
 * Bundles and minifies the browser code of `entries` (scripts and style sheets) with everything they
 * import (no CDN). The first script is the page's entry.
 */
export const buildAssets = async (entries: readonly string[]): Promise<AssetBundle> => {
  const result = await Bun.build({
    entrypoints: [...entries],
    target: "browser",
    minify: true,
    naming: "[name]-[hash].[ext]",
    // Libraries pick their production builds (lightweight-charts ships a development one too).
    conditions: ["production"],
    define: { "process.env.NODE_ENV": '"production"' },
  });
  if (!result.success) throw new AggregateError(result.logs, "building the live page failed");
  const files = new Map<string, Asset>();
  let script: string | undefined;
  let version = "";
  const styles: string[] = [];
  for (const output of result.outputs) {
    const name = output.path.replace(/^\.\//, "");
    const body = new Uint8Array(await output.arrayBuffer());
    files.set(name, { type: output.type, etag: `"${output.hash}"`, body, encoded: await compress(body) });
    if (name.endsWith(".css")) styles.push(name);
    else if (output.kind === "entry-point" && script === undefined) {
      script = name;
      version = output.hash ?? "";
    }
  }
  if (script === undefined) throw new Error("building the live page produced no script");
  return { script, styles, files, version };
};

/** Bytes of the bundle as built and as sent with the best encoding. */
export const bundleSize = (bundle: AssetBundle) => {
  let size = 0;
  let compressed = 0;
  for (const asset of bundle.files.values()) {
    size += asset.body.byteLength;
    compressed += (asset.encoded.br ?? asset.encoded.gzip ?? asset.body).byteLength;
  }
  return { size, compressed };
};

/** The encodings a request accepts, preferred first (q=0 refuses one). */
const acceptedEncodings = (header: string | undefined) => {
  const accepted = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (name && !params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param))) accepted.add(name);
  }
  return accepted;
};

/** Serves `asset`: 304 on a matching If-None-Match, else the smallest encoding the client accepts. */
export const assetResponse = (asset: Asset, request: Request, cacheControl: string): Response => {
  const headers = new Headers({
    "content-type": asset.type,
    etag: asset.etag,
    "cache-control": cacheControl,
    vary: "accept-encoding",
    "x-content-type-options": "nosniff",
  });
  if (request.headers.get("if-none-match") === asset.etag)
    return new Response(null, { status: 304, headers });
  const accepted = acceptedEncodings(request.headers.get("accept-encoding") ?? undefined);
  const encoding = encodings.find((name) => accepted.has(name) && asset.encoded[name] !== undefined);
  if (encoding === undefined) return new Response(asset.body, { headers });
  headers.set("content-encoding", encoding);
  return new Response(asset.encoded[encoding], { headers });
};
