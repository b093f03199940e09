import { test, expect, hydrated, axeViolations, screenshot, PAGES } from "./fixtures";

// Every page, with the data the suite's world gives it, at desktop width and at 390 px:
// a screenshot kept as an artifact, no horizontal scroll, and no serious or critical
// accessibility violation.
for (const width of [1280, 390]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });
    for (const { label, path } of [...PAGES, { label: "Job", path: "/jobs/1" }]) {
      test(`${label} passes axe and fits`, async ({ page }, info) => {
        await page.goto(path);
        await hydrated(page);
        await expect(page.locator("main h1:visible, main h2:visible").first()).toBeVisible();
        await screenshot(page, info, `${label.toLowerCase()}-${width}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, "no horizontal scroll").toBeLessThanOrEqual(0);
        expect(await axeViolations(page)).toEqual([]);
      });
    }
  });
}
