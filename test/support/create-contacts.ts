import type { Db } from "../../src/db/database.js";

interface ContactSeed {
  id: string;
  name: string;
  role: string;
  prefectureCode?: string | null;
  phone?: string | null;
  active?: boolean;
  identities?: Record<string, string>;
}

/** Fixtures: contacts with their identities (channel → external id), written as the store holds them. */
export async function createContacts(db: Db, rows: ContactSeed[]): Promise<void> {
  await db.contact.createMany({ data: rows.map(({ identities: _, ...c }) => c) });
  const identities = rows.flatMap((r) =>
    Object.entries(r.identities ?? {}).map(([channel, externalId]) => ({
      contactId: r.id,
      channel,
      externalId,
    })),
  );
  if (identities.length > 0) await db.contactIdentity.createMany({ data: identities });
}

interface ChatGroupSeed {
  id: string;
  name: string;
  channel: string;
  audience: string;
  prefectureCode?: string | null;
  copyReminders?: boolean;
  active?: boolean;
  identities?: Record<string, string>;
}

/** Fixtures: chat groups with their identities (channel → external id), written as the store holds them. */
export async function createChatGroups(db: Db, rows: ChatGroupSeed[]): Promise<void> {
  await db.chatGroup.createMany({ data: rows.map(({ identities: _, ...g }) => g) });
  const identities = rows.flatMap((r) =>
    Object.entries(r.identities ?? {}).map(([channel, externalId]) => ({
      groupId: r.id,
      channel,
      externalId,
    })),
  );
  if (identities.length > 0) await db.chatGroupIdentity.createMany({ data: identities });
}
