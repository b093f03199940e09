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

test("Insights charts the collected world with a table behind each chart", async ({ page }) => {
  await page.goto("/insights");
  await hydrated(page);
  const active = page.locator("dt", { hasText: "Active jobs" }).locator("xpath=following-sibling::dd");
  expect(Number(await active.innerText())).toBeGreaterThan(0);
  const perDay = page.getByRole("img", { name: /New jobs per day, last 30 days/ });
  await expect(perDay).toBeVisible();
  await page.getByRole("button", { name: "7 days" }).click();
  await expect(page.getByRole("img", { name: /New jobs per day, last 7 days/ })).toBeVisible();
  await expect(page.getByRole("img", { name: "Jobs per stage" })).toBeVisible();
  await page.getByText("Show the numbers").first().click();
  await expect(page.locator("details[open] table").first()).toBeVisible();
  await expect(page.getByTestId("llm-usage")).toContainText("Calls");
});

test("Settings checks the LLM server and offers export and import", async ({ page }) => {
  await page.goto("/settings");
  await hydrated(page);
  await expect(page.getByTestId("llm-health")).toContainText("Ready");
  // The careers site without structured data was read by the simulator's vLLM stand-in.
  const usage = page.getByTestId("llm-usage");
  const calls = usage.locator("dt", { hasText: "Calls" }).locator("xpath=following-sibling::dd").first();
  expect(Number(await calls.innerText())).toBeGreaterThan(0);
  const extracted = await (await page.request.get("/api/v1/jobs?source=llm&limit=5")).json();
  expect(extracted.items.length).toBeGreaterThan(0);
  const response = await page.request.get("/api/v1/export?format=json");
  expect(response.ok()).toBe(true);
  const jobs = await response.json();
  expect(jobs.length).toBeGreaterThan(0);
  // Re-importing the export changes nothing and loses nothing.
  await page.getByLabel("Import a JSON export").setInputFiles({
    name: "jobscout.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(jobs)),
  });
  await expect(page.getByRole("status")).toContainText(`Imported ${jobs.length} jobs: 0 new`);
  await page.getByLabel("Import a JSON export").setInputFiles({
    name: "broken.json",
    mimeType: "application/json",
    buffer: Buffer.from("{not json"),
  });
  await expect(page.getByRole("alert")).toContainText("not a Jobscout JSON export");
});
