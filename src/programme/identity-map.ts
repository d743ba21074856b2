/** Identity rows (ContactIdentity) as channel → external id, channels in code-point order (stable to compare). */
export function identityMap(
  rows: readonly { channel: string; externalId: string }[],
): Record<string, string> {
  const sorted = [...rows].sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0));
  return Object.fromEntries(sorted.map((r) => [r.channel, r.externalId]));
}

/** The same map as one comparable string (what the roster sync compares). */
export function identityKey(identities: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    identityMap(Object.entries(identities).map(([channel, externalId]) => ({ channel, externalId }))),
  );
}
