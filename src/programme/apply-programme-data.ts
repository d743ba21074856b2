import type { Tx } from "../db/database.js";
import { identityKey, identityMap } from "./identity-map.js";
import type {
  ChangeCount,
  ChatGroupRow,
  ContactRow,
  ProgrammeChanges,
  ProgrammeData,
} from "./programme-data.js";
import { sync } from "./sync-rows.js";

export interface ApplyOptions {
  /**
   * Zones, contacts and chat groups in the store but absent from the data: "keep" them (the sample
   * seed adds to what is there) or "deactivate" them (a roster sheet is the complete list).
   * Prefectures are never removed. Year rows (quarters, indicators, memberships, targets) of the
   * data's year that the data lacks are always deleted when that section is given.
   */
  absent: "keep" | "deactivate";
  /** Also list every changed row (ChangeCount.rows), for a preview. */
  rows?: boolean;
}

const zero = (): ChangeCount => ({ created: 0, updated: 0, deleted: 0, deactivated: 0, unchanged: 0 });

export function emptyChanges(): ProgrammeChanges {
  return {
    programmeYears: zero(),
    quarters: zero(),
    prefectures: zero(),
    indicators: zero(),
    zones: zero(),
    memberships: zero(),
    targets: zero(),
    contacts: zero(),
    chatGroups: zero(),
  };
}

const json = (v: string[]) => JSON.stringify(v);

/** A unique non-null column's value while its row is being renamed (ids contain no "#"). */
const renaming = (id: string) => `#renaming#${id}`;

/** Applies the data inside the caller's transaction; returns what changed per table. */
export async function applyProgrammeData(
  tx: Tx,
  data: ProgrammeData,
  opts: ApplyOptions,
): Promise<ProgrammeChanges> {
  const changes = emptyChanges();
  if (opts.rows) for (const c of Object.values(changes)) c.rows = [];
  const year = data.year;
  const deactivate = opts.absent === "deactivate";

  if (data.programme) {
    const p = data.programme;
    await sync(
      {
        stored: await tx.programmeYear.findMany({ where: { year } }),
        desired: [p],
        storedKey: (s) => String(s.year),
        desiredKey: (d) => String(d.year),
        columns: (d) => ({ year: d.year, title: d.title, isSample: d.isSample, settings: d.settings }),
        create: (rows) => tx.programmeYear.create({ data: rows[0] as { year: number; title: string } }),
        update: (s, cols) => tx.programmeYear.update({ where: { year: s.year }, data: cols }),
      },
      changes.programmeYears,
    );
    await sync(
      {
        stored: await tx.programmeQuarter.findMany({ where: { year } }),
        desired: p.quarters,
        storedKey: (s) => String(s.quarter),
        desiredKey: (d) => String(d.quarter),
        columns: (d) => ({
          year,
          quarter: d.quarter,
          deadline: d.deadline,
          expectedProgressPct: d.expectedProgressPct,
        }),
        create: (rows) => tx.programmeQuarter.createMany({ data: rows as never }),
        update: (s, cols) =>
          tx.programmeQuarter.update({ where: { year_quarter: { year, quarter: s.quarter } }, data: cols }),
        absent: {
          kind: "delete",
          apply: (rows) =>
            tx.programmeQuarter.deleteMany({ where: { year, quarter: { in: rows.map((r) => r.quarter) } } }),
        },
      },
      changes.quarters,
    );
  }

  if (data.prefectures)
    await sync(
      {
        stored: await tx.prefecture.findMany(),
        desired: data.prefectures,
        storedKey: (s) => s.code,
        desiredKey: (d) => d.code,
        columns: (d) => ({ code: d.code, name: d.name, shortName: d.shortName, sortOrder: d.sortOrder }),
        create: (rows) => tx.prefecture.createMany({ data: rows as never }),
        update: (s, cols) => tx.prefecture.update({ where: { code: s.code }, data: cols }),
        unique: { columns: ["name"], placeholder: (s) => renaming(s.code) },
      },
      changes.prefectures,
    );

  if (data.indicators)
    await sync(
      {
        stored: await tx.indicator.findMany({ where: { year } }),
        desired: data.indicators,
        storedKey: (s) => s.key,
        desiredKey: (d) => d.key,
        columns: (d) => ({
          year,
          key: d.key,
          label: d.label,
          aliases: json(d.aliases),
          unit: d.unit,
          kind: d.kind,
          cumulative: d.cumulative,
          required: d.required,
          groups: json(d.groups),
          sortOrder: d.sortOrder,
        }),
        create: (rows) => tx.indicator.createMany({ data: rows as never }),
        update: (s, cols) => tx.indicator.update({ where: { year_key: { year, key: s.key } }, data: cols }),
        absent: {
          kind: "delete",
          apply: (rows) => tx.indicator.deleteMany({ where: { year, key: { in: rows.map((r) => r.key) } } }),
        },
      },
      changes.indicators,
    );

  if (data.zones)
    await sync(
      {
        stored: await tx.zone.findMany(),
        desired: data.zones,
        storedKey: (s) => s.id,
        desiredKey: (d) => d.id,
        columns: (d) => ({
          id: d.id,
          name: d.name,
          shortName: d.shortName,
          aliases: json(d.aliases),
          prefectureCode: d.prefectureCode,
          active: d.active,
        }),
        create: (rows) => tx.zone.createMany({ data: rows as never }),
        update: (s, cols) => tx.zone.update({ where: { id: s.id }, data: cols }),
        unique: { columns: ["name", "shortName"], placeholder: (s) => renaming(s.id) },
        absent: !deactivate
          ? undefined
          : {
              kind: "deactivate",
              apply: (rows) =>
                tx.zone.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { active: false } }),
            },
      },
      changes.zones,
    );

  if (data.memberships)
    await sync(
      {
        stored: await tx.zoneMembership.findMany({ where: { year } }),
        desired: data.memberships,
        storedKey: (s) => `${s.zoneId}\u0000${s.groupCode}`,
        desiredKey: (d) => `${d.zoneId}\u0000${d.groupCode}`,
        columns: (d) => ({ year, zoneId: d.zoneId, groupCode: d.groupCode }),
        create: (rows) => tx.zoneMembership.createMany({ data: rows as never }),
        update: async () => {},
        absent: {
          kind: "delete",
          apply: (rows) =>
            tx.zoneMembership.deleteMany({
              where: { OR: rows.map((r) => ({ year, zoneId: r.zoneId, groupCode: r.groupCode })) },
            }),
        },
      },
      changes.memberships,
    );

  if (data.targets)
    await sync(
      {
        stored: await tx.target.findMany({ where: { year } }),
        desired: data.targets,
        storedKey: (s) => [s.scope, s.zoneId, s.groupCode, s.indicatorKey].join("\u0000"),
        desiredKey: (d) => [d.scope, d.zoneId, d.groupCode, d.indicatorKey].join("\u0000"),
        columns: (d) => ({
          year,
          scope: d.scope,
          zoneId: d.zoneId,
          groupCode: d.groupCode,
          indicatorKey: d.indicatorKey,
          value: d.value,
        }),
        create: (rows) => tx.target.createMany({ data: rows as never }),
        update: (s, cols) => tx.target.update({ where: { id: s.id }, data: cols }),
        absent: {
          kind: "delete",
          apply: (rows) => tx.target.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } }),
        },
      },
      changes.targets,
    );

  if (data.contacts) {
    // A contact's identities are compared as one column (`identities`, a canonical string) so a
    // changed account counts the contact as updated; they are written after the contacts, below.
    const stored = (await tx.contact.findMany({ include: { identities: true } })).map(
      ({ identities, ...c }) => ({ ...c, identities: identityKey(identityMap(identities)) }),
    );
    await sync(
      {
        stored,
        desired: data.contacts,
        storedKey: (s) => s.id,
        desiredKey: (d) => d.id,
        columns: ({ identities, ...d }) => ({ ...d, identities: identityKey(identities) }),
        create: (rows) => tx.contact.createMany({ data: rows.map(withoutIdentities) as never }),
        update: (s, cols) => {
          const rest = withoutIdentities(cols);
          const changed = Object.entries(rest).some(([k, v]) => (s as Record<string, unknown>)[k] !== v);
          return changed ? tx.contact.update({ where: { id: s.id }, data: rest }) : Promise.resolve();
        },
        absent: !deactivate
          ? undefined
          : {
              kind: "deactivate",
              apply: (rows) =>
                tx.contact.updateMany({
                  where: { id: { in: rows.map((r) => r.id) } },
                  data: { active: false },
                }),
            },
      },
      changes.contacts,
    );
    await syncIdentities(tx, data.contacts);
  }

  if (data.chatGroups) {
    // identities compared as one column, like a contact's (written after the groups, below)
    const stored = (await tx.chatGroup.findMany({ include: { identities: true } })).map(
      ({ identities, ...g }) => ({ ...g, identities: identityKey(identityMap(identities)) }),
    );
    await sync(
      {
        stored,
        desired: data.chatGroups,
        storedKey: (s) => s.id,
        desiredKey: (d) => d.id,
        columns: ({ identities, ...d }) => ({ ...d, identities: identityKey(identities) }),
        create: (rows) => tx.chatGroup.createMany({ data: rows.map(withoutIdentities) as never }),
        update: (s, cols) => {
          const rest = withoutIdentities(cols);
          const changed = Object.entries(rest).some(([k, v]) => (s as Record<string, unknown>)[k] !== v);
          return changed ? tx.chatGroup.update({ where: { id: s.id }, data: rest }) : Promise.resolve();
        },
        absent: !deactivate
          ? undefined
          : {
              kind: "deactivate",
              apply: (rows) =>
                tx.chatGroup.updateMany({
                  where: { id: { in: rows.map((r) => r.id) } },
                  data: { active: false },
                }),
            },
      },
      changes.chatGroups,
    );
    await syncGroupIdentities(tx, data.chatGroups);
  }

  return changes;
}

function withoutIdentities(cols: Record<string, unknown>): Record<string, unknown> {
  const { identities: _, ...rest } = cols;
  return rest;
}

/**
 * Makes the identities of the given contacts what the data says: an identity whose id changed or
 * that the data drops is deleted first (so an id moving to another contact never meets its old
 * holder), then the missing ones are created. An unchanged identity keeps its verifiedAt.
 */
async function syncIdentities(tx: Tx, contacts: readonly ContactRow[]): Promise<void> {
  const ids = contacts.map((c) => c.id);
  const stored = await tx.contactIdentity.findMany({ where: { contactId: { in: ids } } });
  const desired = new Map(contacts.map((c) => [c.id, c.identities]));
  const gone = stored.filter((s) => desired.get(s.contactId)?.[s.channel] !== s.externalId);
  for (const g of gone)
    await tx.contactIdentity.delete({
      where: { contactId_channel: { contactId: g.contactId, channel: g.channel } },
    });
  const kept = new Set(
    stored.filter((s) => !gone.includes(s)).map((s) => `${s.contactId}\u0000${s.channel}`),
  );
  const create = contacts.flatMap((c) =>
    Object.entries(c.identities)
      .filter(([channel]) => !kept.has(`${c.id}\u0000${channel}`))
      .map(([channel, externalId]) => ({ contactId: c.id, channel, externalId })),
  );
  if (create.length > 0) await tx.contactIdentity.createMany({ data: create });
}

/** The same for chat groups (ChatGroupIdentity; not unique across groups, so nothing to move first). */
async function syncGroupIdentities(tx: Tx, groups: readonly ChatGroupRow[]): Promise<void> {
  const ids = groups.map((g) => g.id);
  const stored = await tx.chatGroupIdentity.findMany({ where: { groupId: { in: ids } } });
  const desired = new Map(groups.map((g) => [g.id, g.identities]));
  const gone = stored.filter((s) => desired.get(s.groupId)?.[s.channel] !== s.externalId);
  for (const g of gone)
    await tx.chatGroupIdentity.delete({
      where: { groupId_channel: { groupId: g.groupId, channel: g.channel } },
    });
  const kept = new Set(stored.filter((s) => !gone.includes(s)).map((s) => `${s.groupId}\u0000${s.channel}`));
  const create = groups.flatMap((g) =>
    Object.entries(g.identities)
      .filter(([channel]) => !kept.has(`${g.id}\u0000${channel}`))
      .map(([channel, externalId]) => ({ groupId: g.id, channel, externalId })),
  );
  if (create.length > 0) await tx.chatGroupIdentity.createMany({ data: create });
}
