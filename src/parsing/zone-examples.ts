import type { ZoneDef } from "../programme/programme.js";
import { unknownZoneIssue } from "./issue-messages.js";
import { didYouMean, nearestZones } from "./near-miss.js";
import type { ParseContext, ParseIssue } from "./parsed-report.js";

/**
 * Zones named in the parser's questions: every example names a zone the sender knows (their own, or one
 * of their prefecture), and an unknown zone is answered with the nearest real ones ("您是否指 都匀？").
 */
/** A zone for examples: the sender's zone, else one of their prefecture, else the roster's first. */
export function exampleZoneDef(ctx: ParseContext): ZoneDef | undefined {
  const zs = ctx.zones;
  return (
    zs.find((x) => x.id === ctx.defaultZoneId) ??
    zs.find((x) => x.prefectureCode === ctx.prefectureCode) ??
    zs[0]
  );
}

export function exampleZone(ctx: ParseContext): string {
  const z = exampleZoneDef(ctx);
  if (!z) return "惠水经开区";
  return z.aliases.find((a) => a.endsWith("经开区")) ?? z.name;
}

/** Unknown zone, with the nearest zones (the sender's prefecture first) as "您是否指 …？". */
export function unknownZone(ctx: ParseContext, name: string, read: string): ParseIssue {
  const near = nearestZones(name, ctx.zones, ctx.prefectureCode);
  const z = near[0] ?? exampleZoneDef(ctx);
  const example = z
    ? `${z.aliases.find((a) => a.endsWith("经开区")) ?? z.name} 或 ${z.shortName}`
    : "惠水经开区 或 惠水";
  const issue = unknownZoneIssue(name, read, example);
  if (near.length > 0) {
    issue.message = issue.message.replace(/（读到/, `${didYouMean(near.map((x) => x.shortName))}（读到`);
  }
  return issue;
}

/** "碧江经开去": a known zone with its suffix misspelt — "您是否指 碧江经开区？", nothing stored. */
export function suffixTypoIssue(zone: ZoneDef, read: string): ParseIssue {
  const proper = zone.aliases.find((a) => a.endsWith("经开区")) ?? zone.name;
  const issue = unknownZoneIssue(read, read, proper);
  issue.message = issue.message.replace(/（读到/, `${didYouMean([proper])}（读到`);
  return issue;
}
