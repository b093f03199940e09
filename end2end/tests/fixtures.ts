import { test as base, expect, Page } from "@playwright/test";

/** Every test fails on a console error, an uncaught exception or a CSP violation. */
export const test = base.extend<{ problems: string[] }>({
  problems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
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
