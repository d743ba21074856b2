/**
 * "12000w", "32000wan", "1.2W元": w/W/wan typed on a phone for 万, as a unit right after a number — not a
 * letter of a word or code ("5G", "12000wh"). A regular-expression source, for the money grammar
 * (quantities.ts), the figures of a line (figure-tokens.ts) and the units named back (unread-numbers.ts).
 */
export const WAN_LETTERS = "(?:wan|WAN|Wan|w|W)(?![A-Za-z])";
