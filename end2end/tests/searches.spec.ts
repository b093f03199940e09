import { test, expect, hydrated } from "./fixtures";

test("a saved search is validated, runs over the job boards and tags what it finds", async ({ page }) => {
  await page.goto("/searches");
  await hydrated(page);
  await page.getByRole("button", { name: "New search" }).click();
  const form = page.getByRole("form", { name: "New search" });
  await form.getByLabel("Name").fill("Remote engineers");
  await form.getByRole("button", { name: "Create search" }).click();
  // The problem is next to its field, and nothing was saved.
  const query = form.getByLabel("Looking for");
  await expect(query).toHaveAttribute("aria-invalid", "true");
  await expect(form.locator(`#${await query.getAttribute("aria-describedby")}`)).toContainText("Say what to look for");
  await query.fill("engineer");
  await form.getByLabel("Remote only").check();
  await form.getByRole("button", { name: "Create search" }).click();
  await expect(page.getByRole("status")).toContainText("Search created");

  const card = page.locator("li[data-search-id]", { hasText: "Remote engineers" });
  await expect(card).toContainText("Never run");
  await card.getByRole("button", { name: "Run now" }).click();
  await expect(card.locator('[data-status="succeeded"]')).toBeVisible({ timeout: 20_000 });
  const found = Number((await card.getByTestId("found").innerText()).split(" ")[0]);
  expect(found).toBeGreaterThan(0);

  // Its results, tagged: the Jobs page filtered by the search.
  await card.getByTestId("found").click();
  await expect(page).toHaveURL(/search=\d+/);
  await hydrated(page);
  await expect(page.getByTestId("job-total")).toHaveText(`${found} ${found === 1 ? "job" : "jobs"}`);
  await page.getByTestId("job-list").locator("li a").first().click();
  await expect(page.getByTestId("found-by")).toContainText("Remote engineers");

  // A name already taken is refused next to the name field.
  await page.goto("/searches");
  await hydrated(page);
  await page.getByRole("button", { name: "New search" }).click();
  await form.getByLabel("Name").fill("Remote engineers");
  await form.getByLabel("Looking for").fill("designer");
  await form.getByRole("button", { name: "Create search" }).click();
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(form).toContainText("already exists");
});
