import { test, expect, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

const rows = (page: Page) => page.getByTestId("job-list").locator("li");

async function total(page: Page): Promise<number> {
  const text = await page.getByTestId("job-total").innerText();
  return Number(text.split(" ")[0]);
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the first page of jobs and the filters are in the HTML", async ({ page }) => {
    await page.goto("/");
    await expect(rows(page)).toHaveCount(50);
    // The filter form is a plain GET form: it works before (or without) the wasm.
    await page.getByLabel("Workplace").selectOption("remote");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(/remote=remote/);
    for (const badge of await rows(page).getByText("Remote", { exact: true }).all()) {
      await expect(badge).toBeVisible();
    }
    expect(await rows(page).count()).toBeGreaterThan(0);
  });
});

test("scrolling loads every job while the DOM stays bounded", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const all = await total(page);
  expect(all).toBeGreaterThan(100);
  await expect(rows(page)).toHaveCount(50);
  for (let i = 0; i < 40 && !(await page.getByTestId("list-end").isVisible()); i++) {
    await page.mouse.wheel(0, 4000);
    await page.waitForTimeout(100);
  }
  await expect(page.getByTestId("list-end")).toHaveText(`All ${all} jobs shown.`);
  await expect(rows(page).first()).toHaveAttribute("aria-setsize", String(all));
  // Only a window of rows is rendered, however long the list.
  expect(await rows(page).count()).toBeLessThanOrEqual(100);
  const ids = await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-job-id")));
  expect(new Set(ids).size, "no job twice").toBe(ids.length);
});

test("search as you type highlights matches and keeps the URL", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const title = await rows(page).first().locator("a").innerText();
  const word = title.split(/\s+/).find((w) => w.length > 3) ?? title.split(/\s+/)[0];
  await page.keyboard.press("/");
  await expect(page.getByLabel("Search jobs")).toBeFocused();
  await page.keyboard.type(word.toLowerCase(), { delay: 30 });
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(word.toLowerCase())}`));
  await expect(rows(page).first().locator("mark").first()).toBeVisible();
  const matches = await total(page);
  expect(matches).toBeGreaterThan(0);
  // The URL is the state: a reload shows the same search.
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Search jobs")).toHaveValue(word.toLowerCase());
  expect(await total(page)).toBe(matches);
  // Hostile input is just text.
  await page.getByLabel("Search jobs").fill('"(unbalanced AND 🚀');
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("filters live in the URL and the back button undoes them", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const all = await total(page);
  await page.getByLabel("Workplace").selectOption("remote");
  await expect(page).toHaveURL(/remote=remote/);
  await expect.poll(() => total(page)).toBeLessThan(all);
  await page.getByRole("navigation", { name: "Stages" }).getByRole("link", { name: /^Inbox/ }).click();
  await expect(page).toHaveURL(/stage=inbox/);
  await expect(page).toHaveURL(/remote=remote/);
  await page.goBack();
  await expect(page).not.toHaveURL(/stage=/);
  await page.goBack();
  await expect(page).not.toHaveURL(/remote=/);
  await expect.poll(() => total(page)).toBe(all);
});

test("a job opens beside the list; stage, star and notes are saved", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  // An unstarred job (a retry must not pick the one the first try starred).
  const pick = rows(page).filter({ has: page.getByRole("button", { name: /^Star /, pressed: false }) }).nth(3);
  const id = await pick.getAttribute("data-job-id");
  const row = page.getByTestId("job-list").locator(`li[data-job-id="${id}"]`);
  const title = await row.locator("a").innerText();
  await row.locator("a").click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  const detail = page.getByRole("complementary", { name: "Job details" });
  await expect(detail.getByRole("heading", { level: 2 })).toHaveText(title);
  await expect(page).toHaveTitle(`${title} · Jobscout`);
  await expect(rows(page)).not.toHaveCount(0); // the list stays beside it

  await detail.getByRole("button", { name: "☆ Star" }).click();
  await expect(detail.getByRole("button", { name: "★ Starred" })).toHaveAttribute("aria-pressed", "true");
  await expect(row.getByRole("button", { name: `Star ${title}` })).toHaveAttribute("aria-pressed", "true");
  await detail.getByLabel("Stage").selectOption("applied");
  await expect(detail.getByTestId("stage-history")).toContainText("→ Applied");
  await detail.getByLabel("Notes").fill("Recruiter: Sam. Call on Tuesday.");
  await expect(detail.getByTestId("notes-status")).toHaveText("Saved");

  // Deep link: a reload renders the same job with everything kept.
  await page.reload();
  await hydrated(page);
  await expect(detail.getByLabel("Stage")).toHaveValue("applied");
  await expect(detail.getByLabel("Notes")).toHaveValue("Recruiter: Sam. Call on Tuesday.");
  await expect(detail.getByRole("button", { name: "★ Starred" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/\/$/);
});

test("archive takes a job out of the list, and Undo brings it back", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const all = await total(page);
  const first = rows(page).first();
  const id = await first.getAttribute("data-job-id");
  await first.locator("a").click();
  await page.getByRole("complementary", { name: "Job details" }).getByRole("button", { name: "Archive" }).click();
  await expect(page.getByTestId("job-list").locator(`li[data-job-id="${id}"]`)).not.toBeAttached();
  await expect.poll(() => total(page)).toBe(all - 1);
  await page.getByRole("status").getByRole("button", { name: "Undo" }).click();
  await expect(rows(page).first()).toHaveAttribute("data-job-id", id!);
  await expect.poll(() => total(page)).toBe(all);
});

test("bulk actions change every ticked job", async ({ page }) => {
  await page.goto("/?stage=inbox");
  await hydrated(page);
  const stages = page.getByRole("navigation", { name: "Stages" });
  const saved = async () => Number((await stages.locator('[data-stage="saved"]').innerText()).split(" ").pop());
  const before = await saved();
  await rows(page).nth(0).getByRole("checkbox").check();
  await rows(page).nth(1).getByRole("checkbox").check();
  await expect(page.getByTestId("selected-count")).toHaveText("2 selected");
  await page.getByLabel("Move to stage").selectOption("saved");
  await expect(page.getByRole("status")).toContainText("Moved 2 jobs to Saved.");
  await expect.poll(saved).toBe(before + 2);
});

test("the keyboard moves, stars and stages", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toContainText("Next / previous job");
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  const second = rows(page).nth(1);
  await expect(second).toHaveAttribute("data-cursor", "true");
  const title = await second.locator("a").innerText();
  const star = second.getByRole("button", { name: `Star ${title}` });
  const starred = await star.getAttribute("aria-pressed");
  await page.keyboard.press("s");
  await expect(rows(page).nth(1).getByRole("button", { name: `Star ${title}` })).toHaveAttribute(
    "aria-pressed",
    starred === "true" ? "false" : "true",
  );
  await page.keyboard.press("4");
  await expect(rows(page).nth(1)).toContainText("Interviewing");
  await page.keyboard.press("o");
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(page.getByRole("complementary", { name: "Job details" }).getByLabel("Stage")).toHaveValue("interviewing");
});

test("a bad filter in the address is explained, not a crash", async ({ page }) => {
  await page.goto("/?stage=later");
  await expect(page.getByRole("alert")).toContainText("`stage`");
  await expect(page.getByRole("link", { name: "Show all jobs" })).toBeVisible();
});
