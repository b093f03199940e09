import { test, expect, hydrated } from "./fixtures";
import { VECTORS } from "./xss-vectors";

/** Vectors per job: each job's description carries a handful, so the corpus needs few pages. */
const PER_JOB = 5;

/** What a sanitized description may never hold. */
const FORBIDDEN_TAGS = [
  "script", "iframe", "frame", "frameset", "object", "embed", "base", "meta", "link", "form",
  "input", "button", "select", "textarea", "style", "svg", "math", "template", "portal", "keygen",
];

test("a corpus of XSS vectors in imported jobs runs no script in the real UI", async ({ page, request }) => {
  expect(VECTORS.length).toBeGreaterThanOrEqual(100);
  // A real job from the export as the template, so the file is exactly what an export holds.
  const exported = await (await request.get("/api/v1/export?format=json")).json();
  expect(exported.length).toBeGreaterThan(0);
  const template = exported[0];
  const jobs = [];
  for (let i = 0; i * PER_JOB < VECTORS.length; i++) {
    const vectors = VECTORS.slice(i * PER_JOB, (i + 1) * PER_JOB);
    jobs.push({
      ...template,
      id: 0,
      source_id: `xsscorpus-${i}`,
      url: `https://xss.example/jobs/${i}`,
      apply_url: null,
      // Titles are text everywhere they appear: a vector there must show as characters.
      title: `xsscorpus ${i} ${vectors[0]}`,
      company: "XSS Corpus Ltd",
      description_html: vectors.map((v) => `<p>${v}</p>`).join("\n"),
      description_text: `xsscorpus ${i}`,
      // Archived: out of the default list, so the other specs' counts are not disturbed.
      archived_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      notes: "",
      history: [],
    });
  }
  const imported = await request.post("/api/v1/import", { data: jobs });
  expect(imported.status(), await imported.text()).toBe(200);

  const list = await (await request.get(`/api/v1/jobs?q=xsscorpus&archived=only&limit=200`)).json();
  expect(list.items.length).toBe(jobs.length);

  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  for (const item of list.items) {
    await page.goto(`/jobs/${item.id}`);
    await hydrated(page);
    const description = page.locator(".job-description");
    // Attached, not necessarily visible: the sanitizer may leave nothing of a vector but <p></p>.
    await expect(description).toBeAttached();
    // Give handlers that fire on load, focus, hover, animation or error their chance to run.
    const box = await description.boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.move(400, 300);
    await page.waitForTimeout(50);
    const found = await description.evaluate((root, forbidden) => {
      const problems: string[] = [];
      for (const el of Array.from(root.querySelectorAll("*"))) {
        const tag = el.tagName.toLowerCase();
        if (forbidden.includes(tag)) problems.push(`<${tag}>`);
        for (const attr of Array.from(el.attributes)) {
          const value = attr.value.replace(/[\s\u0000-\u001f]/g, "").toLowerCase();
          if (attr.name.toLowerCase().startsWith("on")) problems.push(`${tag}[${attr.name}]`);
          if (attr.name === "style") problems.push(`${tag}[style]`);
          if (/^(javascript|vbscript|data):/.test(value)) problems.push(`${tag}[${attr.name}=${value}]`);
        }
      }
      return problems;
    }, FORBIDDEN_TAGS);
    expect(found, `job ${item.id}: nothing that can run script survives`).toEqual([]);
    // The title's vector is shown as text.
    await expect(page.getByRole("heading", { name: /^xsscorpus \d+ / })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  }
  expect(dialogs, "no vector ran").toEqual([]);
});
