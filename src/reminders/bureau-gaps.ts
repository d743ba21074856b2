import {
  type ChatGroupDef,
  type ContactDef,
  type PrefectureDef,
  type Programme,
  type ZoneDef,
  zonesOfPrefecture,
} from "../programme/programme.js";

/** Who could be reminded, as it stands at one moment (read by run-due-reminders, passed in here). */
export interface RosterSnapshot {
  /** Active contacts. */
  contacts: ContactDef[];
  /** Active chat groups. */
  groups: ChatGroupDef[];
  /** Zones with a confirmed report for the period. */
  confirmedZoneIds: ReadonlySet<string>;
}

/** A bureau with zones still missing a confirmed report for the period. */
export interface BureauGap {
  prefecture: PrefectureDef;
  /** Zones cultivated in the programme year (any group) without a confirmed report. */
  missing: ZoneDef[];
  contacts: ContactDef[];
  leads: ContactDef[];
  /** Prefecture groups that asked for copies of reminders. */
  copyGroups: ChatGroupDef[];
}

/** Bureaus with missing zones, in the prefectures' order (pure). Empty once everything is in. */
export function bureauGaps(programme: Programme, roster: RosterSnapshot): BureauGap[] {
  const gaps: BureauGap[] = [];
  for (const prefecture of programme.prefectures) {
    const missing = zonesOfPrefecture(programme, prefecture.code).filter(
      (z) => !roster.confirmedZoneIds.has(z.id),
    );
    if (missing.length === 0) continue;
    const ofBureau = roster.contacts.filter((c) => c.active && c.prefectureCode === prefecture.code);
    gaps.push({
      prefecture,
      missing,
      contacts: ofBureau.filter((c) => c.role === "bureau_contact"),
      leads: ofBureau.filter((c) => c.role === "bureau_lead"),
      copyGroups: roster.groups.filter(
        (g) => g.copyReminders && g.audience === "prefecture" && g.prefectureCode === prefecture.code,
      ),
    });
  }
  return gaps;
}

export function taskForceOf(roster: RosterSnapshot): ContactDef[] {
  return roster.contacts.filter((c) => c.active && c.role === "task_force");
}
