// UI speed with a large database (scripts/bench-ui.sh seeds 100,000 jobs and runs this against
// a release build). Prints medians; asserts only that the measurements happened.
import { test, expect } from "@playwright/test";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
}

test("infinite scroll, search as you type and a bounded DOM at 100,000 jobs", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/");
  await expect(page.locator("#app")).toHaveAttribute("data-hydrated", "true");
  const list = page.getByTestId("job-list");
  const nodesAtStart = await page.evaluate(() => document.getElementsByTagName("*").length);

  // Each next page: from the sentinel entering the viewport until the list has grown (0 when
  // the page was already fetched ahead of the reader).
  const pageTimes: number[] = [];
  for (let i = 0; i < 19; i++) {
    const before = Number(await list.locator("li").first().getAttribute("aria-setsize"));
    const ms = await page.evaluate(async (before) => {
      const sentinel = document.querySelector("[data-testid=job-list]")!.parentElement!.lastElementChild as HTMLElement;
      const size = () => Number(document.querySelector("[data-testid=job-list] li")?.getAttribute("aria-setsize"));
      sentinel.scrollIntoView({ block: "end" });
      const start = performance.now();
      while (size() <= before) {
        await new Promise((r) => requestAnimationFrame(r));
        if (performance.now() - start > 10_000) break;
      }
      return performance.now() - start;
    }, before);
    pageTimes.push(ms);
  }
  const loaded = Number(await list.locator("li").first().getAttribute("aria-setsize"));
  const nodesAfter = await page.evaluate(() => document.getElementsByTagName("*").length);
  const rowsInDom = await list.locator("li").count();

  // Search as you type: from the last keystroke until the list shows that query's results.
  const searchTimes: number[] = [];
  for (const word of ["engineer", "designer", "analyst", "manager", "rust", "python", "remote", "senior", "data", "product"]) {
    await page.goto("/");
    await expect(page.locator("#app")).toHaveAttribute("data-hydrated", "true");
    const search = page.getByLabel("Search jobs");
    await search.click();
    await search.pressSequentially(word, { delay: 40 });
    const ms = await page.evaluate(async (expected) => {
      const start = performance.now();
      while (document.querySelector("[data-testid=job-list]")?.getAttribute("data-query") !== expected) {
        await new Promise((r) => requestAnimationFrame(r));
        if (performance.now() - start > 10_000) break;
      }
      return performance.now() - start;
    }, `q=${word}`);
    searchTimes.push(ms);
  }

  const report = {
    next_page_ms: { median: median(pageTimes), p95: p95(pageTimes), pages: pageTimes.length },
    jobs_loaded: loaded,
    rows_in_dom: rowsInDom,
    dom_nodes: { at_50_jobs: nodesAtStart, at_1000_jobs: nodesAfter },
    search_ms: { median: median(searchTimes), p95: p95(searchTimes), searches: searchTimes.length },
  };
  console.log("UI-PERF " + JSON.stringify(report));
  expect(loaded).toBeGreaterThanOrEqual(1000);
});
