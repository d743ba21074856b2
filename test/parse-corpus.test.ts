import { describe, expect, it } from "vitest";
import { periodKey } from "../src/domain/period.js";
import { parseReportStrict } from "../src/parsing/parse-report.js";
import type { ParsedReport } from "../src/parsing/parsed-report.js";
import { contextFor, loadReplyCases, type ReplyCase } from "./support/reply-fixtures.js";

const cases = loadReplyCases();

function summarise(r: ParsedReport) {
  return {
    period: r.period ? periodKey(r.period) : null,
    periodSource: r.periodSource,
    sections: r.sections.map((s) => ({
      zoneId: s.zoneId,
      values: Object.fromEntries(Object.entries(s.values).map(([k, v]) => [k, v.value])),
    })),
    unassigned: r.unassigned
      ? Object.fromEntries(Object.entries(r.unassigned).map(([k, v]) => [k, v.value]))
      : undefined,
  };
}

function issueSummary(r: ParsedReport, c: ReplyCase) {
  const wanted = c.expectedIssues ?? [];
  // compare only the keys each expectation names (field/zoneId are optional in fixtures)
  return r.issues
    .map((i) => {
      const like = wanted.find((w) => w.code === i.code && (w.field === undefined || w.field === i.field));
      const out: Record<string, string> = { code: i.code };
      if (like?.field !== undefined && i.field !== undefined) out.field = i.field;
      if (like?.zoneId !== undefined && i.zoneId !== undefined) out.zoneId = i.zoneId;
      return out;
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe("reply corpus", () => {
  it("has at least 150 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it.each(cases.map((c) => [`${c.file}: ${c.case.name}`, c.case] as const))("%s", (_name, c) => {
    const report = parseReportStrict(c.text, contextFor(c));
    const got = summarise(report);
    if (c.expected) {
      const e = c.expected;
      if (e.period !== undefined) expect(got.period).toBe(e.period);
      if (e.periodSource !== undefined) expect(got.periodSource).toBe(e.periodSource);
      expect(got.sections).toEqual(e.sections);
      expect(got.unassigned).toEqual(e.unassigned);
    }
    const expectedIssues = (c.expectedIssues ?? [])
      .map((w) => ({ ...w }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(issueSummary(report, c), report.issues.map((i) => i.message).join("\n")).toEqual(expectedIssues);
    if (c.expectedNotes)
      expect(report.notes.map((n) => n.code).sort(), report.notes.map((n) => n.message).join("\n")).toEqual(
        [...c.expectedNotes].sort(),
      );
    for (const issue of report.issues) {
      // every message is Chinese, quotes what was read and shows an example (no_data quotes the message)
      expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
      expect(issue.message).toMatch(/读到“/);
      expect(issue.message).toMatch(/例如：/);
      if (issue.fieldLabel) expect(issue.message).toContain(issue.fieldLabel);
    }
  });
});
