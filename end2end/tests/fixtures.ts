import { test as base, expect, Page, TestInfo } from "@playwright/test";
import { readFileSync } from "node:fs";

/** Every test fails on a console error, an uncaught exception or a CSP violation. */
export const test = base.extend<{ problems: string[] }>({
  problems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() !== "error") return;
        // The browser logs the status of a document we deliberately opened at a 404 path.
        if (msg.text().includes("404") && msg.location().url === page.url()) return;
        // A server function refusing the user's input answers 4xx (shown next to the field);
        // the browser logs the status. A 5xx is still a failure.
        if (/status of 4\d\d/.test(msg.text()) && msg.location().url.includes("/api/")) return;
        problems.push(`console: ${msg.text()} (${msg.location().url})`);
      });
      page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
      await use(problems);
      expect(problems, "no console errors, exceptions or CSP violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until the wasm bundle has hydrated the server-rendered page. */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator("#app")).toHaveAttribute("data-hydrated", "true");
}

export const PAGES = [
  { label: "Jobs", path: "/" },
  { label: "Companies", path: "/companies" },
  { label: "Searches", path: "/searches" },
  { label: "Runs", path: "/runs" },
  { label: "Insights", path: "/insights" },
  { label: "Settings", path: "/settings" },
];

/** The simulator the suite runs against (scripts/e2e.sh starts it). */
export function simUrl(): string {
  const url = process.env.SIM_URL;
  if (!url) throw new Error("SIM_URL is not set: run the suite through scripts/e2e.sh (make e2e)");
  return url;
}

export interface SimCompany {
  name: string;
  provider: string;
  paste_url: string;
  jobs: number;
}

export async function simWorld(): Promise<SimCompany[]> {
  const res = await fetch(`${simUrl()}/_sim/world`);
  return (await res.json()).companies;
}

/** Runs axe-core on the page: returns the serious and critical violations. */
export async function axeViolations(page: Page): Promise<string[]> {
  const source = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  // evaluate() is not subject to the page's CSP, unlike an injected <script>.
  await page.evaluate(source);
  const results: any = await page.evaluate(() => (window as any).axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((v: any) => v.impact === "serious" || v.impact === "critical")
    .map((v: any) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n: any) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

/** Saves a screenshot as a test artifact. */
export async function screenshot(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
}
