import { parseReportStrict } from "../src/parsing/parse-report.js";
import { sampleParseContext } from "../test/support/sample-parse-context.js";

const ctx = sampleParseContext();
for (const t of process.argv.slice(2)) {
  const r = parseReportStrict(t, ctx);
  console.log(
    JSON.stringify({
      t,
      v: r.sections.map((s) => [
        s.zoneId,
        Object.fromEntries(Object.entries(s.values).map(([k, v]) => [k, v.value])),
      ]),
      i: r.issues.map((i) => i.code + ":" + i.message),
      n: r.notes.map((n) => n.message),
    }),
  );
}
