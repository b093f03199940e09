// Polls the server until it answers /health, for at most two minutes (a cold debug server
// may still be opening its database when the suite starts).
export default async function globalSetup(): Promise<void> {
  const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
  const deadline = Date.now() + 120_000;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Jobscout did not answer at ${base}/health within 120 s (${last})`);
}
