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
