import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AppContext } from "../../src/app-context.js";
import { fixedClock } from "../../src/time/clock.js";
import { testApp } from "./report-app.js";
import type { TestStore } from "./stores.js";

/** Environment with every channel configured except the 铜仁 robot key (its group stays unreachable). */
export const CIRCULAR_ENV = {
  WECOM_CORP_ID: "ww0123456789",
  WECOM_AGENT_ID: "1000002",
  WECOM_SECRET: "secret",
  WECOM_TOKEN: "token",
  WECOM_ENCODING_AES_KEY: "a".repeat(43),
  WECOM_ROBOT_KEY_TF: "robot-key-tf",
  WECHATY_PUPPET: "wechaty-puppet-mock",
  LOG_LEVEL: "silent",
};

/** An AppContext on a test store with an injectable clock and a throwaway output folder. */
export function circularApp(
  store: TestStore,
  env: Record<string, string> = CIRCULAR_ENV,
  at = "2023-07-20T02:00:00Z",
) {
  const clock = fixedClock(at);
  const baseDir = mkdtempSync(path.join(os.tmpdir(), "kaiqu-circ-"));
  const app: AppContext = testApp(store, clock, { ...env, CIRCULAR_OUT_DIR: baseDir });
  return { app, clock, baseDir };
}
