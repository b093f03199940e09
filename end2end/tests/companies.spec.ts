import { test, expect, hydrated, simWorld } from "./fixtures";

test("a pasted URL is recognised, checked with one fetch and added", async ({ page }) => {
  const world = await simWorld();
  // scripts/e2e.sh follows every company but the last two.
  const fresh = world[world.length - 1];
  await page.goto("/companies");
  await hydrated(page);
  const url = page.getByLabel("Careers page or job board URL");

  await url.fill("definitely not a url");
  await page.getByRole("button", { name: "Add company" }).click();
  await expect(page.getByRole("alert")).toContainText("not a web address");
  await expect(url).toHaveAttribute("aria-invalid", "true");

  await url.fill(fresh.paste_url);
  await expect(page.getByTestId("recognised")).toContainText("board");
  await page.getByRole("button", { name: "Add company" }).click();
  await expect(page.getByRole("status")).toContainText(`open job`);
  await expect(url).toHaveValue("");
  const row = page.locator("tr", { hasText: fresh.paste_url.split("/").filter(Boolean).pop()! });
  await expect(row).toContainText("Never collected");
});

test("rename, pause, collect now and delete (its jobs stay)", async ({ page }) => {
  const world = await simWorld();
  const target = world[world.length - 2];
  await page.goto("/companies");
  await hydrated(page);
  await page.getByLabel("Careers page or job board URL").fill(target.paste_url);
  await page.getByRole("button", { name: "Add company" }).click();
  await expect(page.getByRole("status")).toContainText("Added");
  const token = target.paste_url.split("/").filter(Boolean).pop()!;
  let row = page.locator("tr", { hasText: token });

  await row.getByRole("button", { name: "Rename" }).click();
  await row.getByLabel("Company name").fill("Renamed Co");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("link", { name: "Renamed Co" })).toBeVisible();

  await row.getByRole("switch").uncheck();
  await expect(row).toContainText("Paused");
  await page.reload();
  await hydrated(page);
  row = page.locator("tr", { hasText: "Renamed Co" });
  await expect(row.getByRole("switch")).not.toBeChecked();

  await row.getByRole("button", { name: "Run now" }).click();
  await expect(page.getByRole("status")).toContainText("Collecting Renamed Co");
  // The list reads itself again when the run finishes.
  await expect(row).toContainText("Succeeded", { timeout: 20_000 });
  const open = Number((await row.locator("td").nth(1).innerText()).trim());
  expect(open).toBe(target.jobs);

  await page.goto("/");
  await hydrated(page);
  const before = Number((await page.getByTestId("job-total").innerText()).split(" ")[0]);
  await page.goto("/companies");
  await hydrated(page);
  row = page.locator("tr", { hasText: "Renamed Co" });
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(row.getByRole("alertdialog")).toContainText("stay in your list");
  await row.getByRole("button", { name: "Delete company" }).click();
  await expect(page.getByRole("status")).toContainText("Its jobs stay");
  await expect(page.locator("tr", { hasText: "Renamed Co" })).toHaveCount(0);
  await page.goto("/");
  await hydrated(page);
  expect(Number((await page.getByTestId("job-total").innerText()).split(" ")[0])).toBe(before);
});
