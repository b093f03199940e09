import { test, expect, hydrated, simUrl } from "./fixtures";

test("the history shows the collection run that filled the database", async ({ page }) => {
  await page.goto("/runs");
  await hydrated(page);
  const first = page.locator("[data-run-id]").last();
  await expect(first).toHaveAttribute("data-status", /succeeded|partial/);
  await expect(first.getByTestId("run-summary")).toContainText("companies");
  await expect(page.getByTestId("live-status")).toContainText("Live");
});

test("a run started in one tab is live in another, and cancel stops it", async ({ context }) => {
  // Every simulated board answers slowly, so the run is still going when we look.
  await fetch(`${simUrl()}/_sim/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ provider: "*", kind: "latency", ms: 3000 }),
  });
  try {
    const watcher = await context.newPage();
    await watcher.goto("/runs");
    await hydrated(watcher);
    await expect(watcher.getByTestId("live-status")).toContainText("Live");
    const before = await watcher.locator("[data-run-id]").count();

    const starter = await context.newPage();
    await starter.goto("/companies");
    await hydrated(starter);
    await starter.getByRole("button", { name: "Run all" }).click();
    await expect(starter.getByRole("status")).toContainText("Collecting every enabled company");
    // The header indicator shows on any page of any tab.
    await expect(starter.getByTestId("run-indicator")).toBeVisible();

    // The watching tab never reloads: the run arrives over its event stream.
    await expect(watcher.locator("[data-run-id]")).toHaveCount(before + 1);
    const run = watcher.locator("[data-run-id]").first();
    await expect(run).toHaveAttribute("data-status", "running");
    await expect(watcher.getByTestId("run-indicator")).toBeVisible();
    const started = Date.now();
    await run.getByRole("button", { name: "Cancel" }).click();
    await expect(watcher.locator("[data-run-id]").first()).toHaveAttribute("data-status", "cancelled", { timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(starter.getByTestId("run-indicator")).toBeHidden();
    await expect(watcher.locator("[data-run-id]").first().locator('[data-status="cancelled"]').first()).toBeVisible();
  } finally {
    await fetch(`${simUrl()}/_sim/faults`, { method: "DELETE" });
  }
});
