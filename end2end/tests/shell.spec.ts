import { test, expect, hydrated, PAGES } from "./fixtures";

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the server renders the page and its navigation", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Jobs" })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const { label } of PAGES) {
      await expect(nav.getByRole("link", { name: label, exact: true })).toBeVisible();
    }
    await expect(page.locator("#app")).toHaveAttribute("data-hydrated", "false");
    // Plain links work with no wasm at all.
    await nav.getByRole("link", { name: "Settings", exact: true }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByText("collection.concurrency")).toBeVisible();
  });
});

test("the page hydrates and reacts without a reload", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.evaluate(() => ((window as any).__sameDocument = true));

  const help = page.getByRole("button", { name: "Keyboard shortcuts" });
  await help.click();
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Close" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // `g` then `c` navigates client-side: the document (and our marker) survives.
  await page.keyboard.press("g");
  await page.keyboard.press("c");
  await expect(page).toHaveURL(/\/companies$/);
  await expect(page.getByRole("heading", { level: 1, name: "Companies" })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  await page.keyboard.press("?");
  await expect(dialog).toBeVisible();
  await page.keyboard.press("?");
  await expect(dialog).toBeHidden();
});

test("every navigation link reaches its page", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const { label, path } of [...PAGES.slice(1), PAGES[0]]) {
    await nav.getByRole("link", { name: label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${path === "/" ? "/" : path}$`));
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    await expect(nav.getByRole("link", { name: label, exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page).toHaveTitle(`${label} · Jobscout`);
  }
});

test("an unknown path shows the 404 page", async ({ page }) => {
  const response = await page.goto("/this/does/not/exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await hydrated(page);
  await page.getByRole("link", { name: "Back to jobs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Jobs" })).toBeVisible();
});

test("the settings page loads its data through a server function", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  // Client-side navigation: the data comes from the server function, not the SSR HTML.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Database" })).toBeVisible();
  await expect(page.getByText("Qwen/Qwen3-4B-Instruct-2507-FP8").first()).toBeVisible();
  await expect(page.getByText("collection.concurrency")).toBeVisible();
  const caches = page.getByRole("region", { name: "Caches" });
  await expect(caches.getByRole("rowheader", { name: "job_pages" })).toBeVisible();
  await expect(caches.getByRole("rowheader", { name: "job_counts" })).toBeVisible();
});

test.describe("on a 390 px phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("pages fit the width and the navigation stays reachable", async ({ page }) => {
    for (const { label, path } of PAGES) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} has no horizontal page scroll`).toBeLessThanOrEqual(0);
    }
    await hydrated(page);
    const settings = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings", exact: true });
    await settings.scrollIntoViewIfNeeded();
    await settings.click();
    await expect(page).toHaveURL(/\/settings$/);
  });
});

test("the compiled assets are served with their content types", async ({ request }) => {
  for (const [path, type] of [
    ["/pkg/jobscout.wasm", "application/wasm"],
    ["/pkg/jobscout.js", "text/javascript"],
    ["/pkg/jobscout.css", "text/css"],
    ["/favicon.svg", "image/svg+xml"],
  ]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()["content-type"], path).toContain(type);
    expect((await res.body()).length, path).toBeGreaterThan(100);
  }
  const health = await request.get("/health");
  expect(health.status()).toBe(200);
  expect((await health.json()).status).toBe("ok");
});
