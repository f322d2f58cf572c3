/**
 * Front-end weight and first paint, printed: initial JS and CSS (gzip) of the built app against the
 * issue's budget, whether the supervisor views are a lazy chunk, and first contentful paint with the CPU
 * slowed 4× against a bare React page built and measured in the same run. Needs `npm run build` first.
 *
 *   npx tsx bench/frontend.ts [--runs 11]
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { build } from "vite";

const ROOT = resolve(import.meta.dirname, "..");
const DIST = join(ROOT, "dist");
const BUDGET = { initialJsGzipKb: 175, cssGzipKb: 60, fcpRatio: 1.5 };
const CPU_SLOWDOWN = 4;
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 11;

const gzipKb = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length / 1024;

/** Static `import … from "./x.js"` / `import "./x.js"` of a built chunk (dynamic `import()` excluded). */
function staticImports(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'](\.\/[^"']+\.js)["']/g)) {
    found.add(match[1]!);
  }
  return [...found];
}

/** The entry chunk of index.html plus everything it imports statically, and the page's stylesheets. */
function initialAssets(distDir: string, html = "index.html"): { js: string[]; css: string[] } {
  const page = readFileSync(join(distDir, html), "utf8");
  const entries = [...page.matchAll(/<script[^>]+src="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  const preloads = [...page.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  const css = [...page.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/?([^"]+\.css)"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  const queue = [...entries, ...preloads];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/") + 1) : "";
    for (const imported of staticImports(readFileSync(join(distDir, file), "utf8"))) queue.push(dir + imported.slice(2));
  }
  return { js: [...seen], css };
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json" };

/** Serves a directory without caching, so every page load is cold. */
async function serveDir(dir: string): Promise<{ url: string; server: Server }> {
  const root = normalize(dir);
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    const file = normalize(join(root, path === "/" ? "index.html" : path));
    if (!file.startsWith(root + sep) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    response.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A bare React 19 page (one heading) built with the same vite, as the FCP baseline. */
async function buildBareReact(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "bare-react-"));
  writeFileSync(join(dir, "index.html"), '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>bare</title></head><body><div id="root"></div><script type="module" src="/main.js"></script></body></html>');
  writeFileSync(
    join(dir, "main.js"),
    'import { createElement } from "react";\nimport { createRoot } from "react-dom/client";\ncreateRoot(document.getElementById("root")).render(createElement("h1", null, "Sign in to Connect Erasure"));\n',
  );
  await build({
    root: dir,
    configFile: false,
    logLevel: "silent",
    resolve: { alias: { react: join(ROOT, "node_modules/react"), "react-dom": join(ROOT, "node_modules/react-dom") } },
    build: { outDir: join(dir, "dist"), emptyOutDir: true },
  });
  return dir;
}

const FCP_SCRIPT = `new Promise((done) => {
  const found = () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime;
  if (found() !== undefined) return done(found());
  new PerformanceObserver(() => { if (found() !== undefined) done(found()); }).observe({ type: "paint", buffered: true });
})`;

/** Largest contentful paint so far: for the app, the React-rendered sign-in page rather than the HTML shell. */
const LCP_SCRIPT = `new Promise((done) => {
  new PerformanceObserver((list) => {
    const entries = list.getEntries();
    done(entries[entries.length - 1].startTime);
  }).observe({ type: "largest-contentful-paint", buffered: true });
})`;

interface PaintTimes {
  fcp: number[];
  lcp: number[];
}

async function measurePaints(urls: { app: string; bare: string }): Promise<{ app: PaintTimes; bare: PaintTimes }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const results = { app: { fcp: [], lcp: [] } as PaintTimes, bare: { fcp: [], lcp: [] } as PaintTimes };
  try {
    for (let run = 0; run < RUNS + 1; run += 1) {
      // Alternate the two pages so drift on the machine affects both alike; run 0 is a discarded warm-up.
      for (const name of run % 2 === 0 ? (["app", "bare"] as const) : (["bare", "app"] as const)) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
        await page.goto(urls[name], { waitUntil: "load" });
        // The app's first React render is the sign-in heading; wait for it so LCP includes it.
        await page.getByRole("heading", { name: "Sign in to Connect Erasure" }).waitFor();
        // A string, not a function: tsx would wrap named arrows in a `__name` helper the page lacks.
        const fcp = (await page.evaluate(FCP_SCRIPT)) as number;
        const lcp = (await page.evaluate(LCP_SCRIPT)) as number;
        if (run > 0) {
          results[name].fcp.push(fcp);
          results[name].lcp.push(lcp);
        }
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return results;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main(): Promise<void> {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("dist/index.html is missing: run `npm run build` first");
  const { js, css } = initialAssets(DIST);
  const jsKb = js.reduce((sum, file) => sum + gzipKb(readFileSync(join(DIST, file))), 0);
  const cssKb = css.reduce((sum, file) => sum + gzipKb(readFileSync(join(DIST, file))), 0);
  const allChunks = readdirSync(join(DIST, "assets")).filter((file) => file.endsWith(".js"));
  const reviewChunk = allChunks.find((file) => file.startsWith("review-routes-"));
  const reviewLazy = reviewChunk !== undefined && !js.includes(`assets/${reviewChunk}`);
  const reviewKb = reviewChunk ? gzipKb(readFileSync(join(DIST, "assets", reviewChunk))) : 0;

  const bareDir = await buildBareReact();
  const bareAssets = initialAssets(join(bareDir, "dist"));
  const bareJsKb = bareAssets.js.reduce((sum, file) => sum + gzipKb(readFileSync(join(bareDir, "dist", file))), 0);
  const app = await serveDir(DIST);
  const bare = await serveDir(join(bareDir, "dist"));
  let paints: { app: PaintTimes; bare: PaintTimes };
  try {
    paints = await measurePaints({ app: `${app.url}/`, bare: `${bare.url}/` });
  } finally {
    app.server.close();
    bare.server.close();
    rmSync(bareDir, { recursive: true, force: true });
  }
  const appFcp = median(paints.app.fcp);
  const bareFcp = median(paints.bare.fcp);
  const ratio = appFcp / bareFcp;
  const appLcp = median(paints.app.lcp);
  const bareLcp = median(paints.bare.lcp);

  const verdict = (ok: boolean) => (ok ? "ok" : "OVER BUDGET");
  const lines = [
    "Front-end budget (dist/, gzip level 9)",
    `  initial JS      ${jsKb.toFixed(1)} KB gzip in ${js.length} file(s) [${js.join(", ")}]  budget ${BUDGET.initialJsGzipKb} KB  ${verdict(jsKb <= BUDGET.initialJsGzipKb)}`,
    `  CSS             ${cssKb.toFixed(1)} KB gzip in ${css.length} file(s)  budget ${BUDGET.cssGzipKb} KB  ${verdict(cssKb <= BUDGET.cssGzipKb)}`,
    `  supervisor views lazy: ${reviewLazy ? "yes" : "NO"} (${reviewChunk ?? "no review chunk"}, ${reviewKb.toFixed(1)} KB gzip, not in the initial set)`,
    `  bare React page JS ${bareJsKb.toFixed(1)} KB gzip`,
    `First contentful paint, CPU slowed ${CPU_SLOWDOWN}x, cold load over loopback, median of ${RUNS} (after 1 warm-up)`,
    `  app         ${appFcp.toFixed(0)} ms  [${paints.app.fcp.map((v) => v.toFixed(0)).join(", ")}]  (the HTML loading line)`,
    `  bare React  ${bareFcp.toFixed(0)} ms  [${paints.bare.fcp.map((v) => v.toFixed(0)).join(", ")}]`,
    `  ratio       ${ratio.toFixed(2)}  budget ${BUDGET.fcpRatio}  ${verdict(ratio <= BUDGET.fcpRatio)}`,
    "Largest contentful paint (the first React render: sign-in page vs the bare page's heading), for reference",
    `  app         ${appLcp.toFixed(0)} ms  [${paints.app.lcp.map((v) => v.toFixed(0)).join(", ")}]`,
    `  bare React  ${bareLcp.toFixed(0)} ms  [${paints.bare.lcp.map((v) => v.toFixed(0)).join(", ")}]`,
    `  ratio       ${(appLcp / bareLcp).toFixed(2)}`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
  const ok = jsKb <= BUDGET.initialJsGzipKb && cssKb <= BUDGET.cssGzipKb && reviewLazy && ratio <= BUDGET.fcpRatio;
  process.exitCode = ok ? 0 : 1;
}

await main();
