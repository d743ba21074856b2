import { local, localInstant } from "../../../../src/time/clock.js";

/** A daily window in Asia/Shanghai local time, minutes after midnight; may cross midnight. */
export interface QuietWindow {
  startMin: number;
  endMin: number;
  /** As configured, e.g. "22:30-07:30". */
  text: string;
}

const RE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Parses "HH:MM-HH:MM". Empty means no quiet hours; equal start and end also mean none
 * (a 24-hour silence would hold every message forever).
 */
export function parseQuietHours(text: string): QuietWindow | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const m = RE.exec(t);
  if (!m) {
    throw new Error(`免打扰时段格式不对：读到 "${text}"，应为 "HH:MM-HH:MM"，例如 "22:30-07:30"`);
  }
  const startMin = Number(m[1]) * 60 + Number(m[2]);
  const endMin = Number(m[3]) * 60 + Number(m[4]);
  if (startMin === endMin) return undefined;
  return { startMin, endMin, text: t };
}

/** When `now` lies inside the window: the instant it ends; otherwise undefined. */
export function quietUntil(window: QuietWindow | undefined, now: Date): Date | undefined {
  if (!window) return undefined;
  const l = local(now);
  const minute = l.hour() * 60 + l.minute();
  const { startMin, endMin } = window;
  const crosses = startMin > endMin;
  const inside = crosses ? minute >= startMin || minute < endMin : minute >= startMin && minute < endMin;
  if (!inside) return undefined;
  const endDay = crosses && minute >= startMin ? l.add(1, "day") : l;
  const hh = String(Math.floor(endMin / 60)).padStart(2, "0");
  const mm = String(endMin % 60).padStart(2, "0");
  return localInstant(endDay.format("YYYY-MM-DD"), `${hh}:${mm}`);
}
