import { test as base, expect, Page } from "@playwright/test";

/** Every test fails on a console error, an uncaught exception or a CSP violation. */
export const test = base.extend<{ problems: string[] }>({
  problems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() !== "error") return;
        // The browser logs the status of a document we deliberately opened at a 404 path.
        if (msg.text().includes("404") && msg.location().url === page.url()) return;
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
