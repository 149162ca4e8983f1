// Runs the GraphQL-over-HTTP conformance audit of graphql-http (the GraphQL
// foundation's reference) against one endpoint and prints the results as JSON:
//   node audit.mjs http://127.0.0.1:8000/graphql
// Output: {"url", "counts": {"ok", "notice", "warn", "error"}, "results": [{id, name, status, reason?, response?}]}
// (a failed MUST is an error, a failed SHOULD a warning, a failed MAY a notice.)
// Exits 0 when it could run the audit, whatever the results; the caller judges them.
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs <url of the GraphQL endpoint>");
  process.exit(2);
}

const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
const out = [];
for (const result of results) {
  counts[result.status] += 1;
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== "ok") {
    entry.reason = result.reason;
    // The response of a failed audit, with its body, so a failure explains itself.
    const res = result.response;
    entry.response = {
      status: res.status,
      headers: Object.fromEntries(res.headers.entries()),
      body: await res.text().catch(() => "<unreadable>"),
    };
  }
  out.push(entry);
}
console.log(JSON.stringify({ url, counts, results: out }, null, 2));
