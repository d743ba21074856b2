import { quote } from "./issue-messages.js";
import type { ParseIssue, ReadNote } from "./parsed-report.js";

/**
 * The issues and notes of one parse. The same finding made again (an identical unknown line pasted twice,
 * two equal cells "1") is one entry whose `times` counts the occurrences and whose message says so
 * ("共2处"): every occurrence's numbers stay accounted for, and the user reads the sentence once.
 */
export class Findings {
  readonly issues: ParseIssue[] = [];
  readonly notes: ReadNote[] = [];
  private readonly issueByKey = new Map<string, { entry: ParseIssue; base: string }>();
  private readonly noteByKey = new Map<string, { entry: ReadNote; base: string }>();

  issue(issue: ParseIssue): void {
    const key = `${issue.code}|${issue.field ?? ""}|${issue.zoneId ?? ""}|${issue.read}`;
    const seen = this.issueByKey.get(key);
    if (seen) {
      again(seen);
      return;
    }
    this.issueByKey.set(key, { entry: issue, base: issue.message });
    this.issues.push(issue);
  }

  note(note: ReadNote): void {
    const key = `${note.code}|${note.zoneId ?? ""}|${note.where ?? ""}|${note.read}`;
    const seen = this.noteByKey.get(key);
    if (seen) {
      again(seen);
      return;
    }
    this.noteByKey.set(key, { entry: note, base: note.message });
    this.notes.push(note);
  }

  /** An issue pushed without de-duplication (the no-data answer, which is never repeated). */
  push(issue: ParseIssue): void {
    this.issues.push(issue);
  }
}

function again(seen: { entry: ParseIssue | ReadNote; base: string }): void {
  const times = (seen.entry.times ?? 1) + 1;
  seen.entry.times = times;
  seen.entry.message = withTimes(seen.base, seen.entry.read, times);
}

/** "…（读到“x”）…" → "…（读到“x”，共2处）…"; else "…）" → "…，共2处）"; else "…（共2处）". */
export function withTimes(message: string, read: string, times: number): string {
  const at = `读到${quote(read)}`;
  const i = message.indexOf(at);
  if (i >= 0) return `${message.slice(0, i + at.length)}，共${times}处${message.slice(i + at.length)}`;
  if (message.endsWith("）")) return `${message.slice(0, -1)}，共${times}处）`;
  return `${message}（共${times}处）`;
}
