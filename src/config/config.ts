import os from "node:os";
import { z } from "zod";

const bool = (def: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], {
      error: "expected true or false",
    })
    .default(def ? "true" : "false")
    .transform((v) => ["true", "1", "yes", "on"].includes(v));

const int = (def: number, min: number, max: number) =>
  z.coerce
    .number({ error: "expected an integer" })
    .int({ error: "expected an integer" })
    .min(min, { error: `expected an integer ≥ ${min}` })
    .max(max, { error: `expected an integer ≤ ${max}` })
    .default(def);

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

const quietHours = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$|^$/, {
    error: 'expected "HH:MM-HH:MM" (e.g. 22:00-08:00) or empty',
  })
  .default("22:30-07:30");

/** The whole environment contract. Every variable is listed in .env.example. */
export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, {
      error: "expected file:PATH (SQLite) or postgresql://… (PostgreSQL)",
    })
    .default("file:./data/kaiqu.db"),
  DB_MIGRATE_ON_START: bool(true),
  // Below WeCom's 5 s callback deadline (SQLite busy timeout, PostgreSQL statement_timeout).
  DB_TIMEOUT_MS: int(3_000, 100, 4_500),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  INSTANCE_ID: optionalText,

  HOST: z.string().trim().min(1).default("127.0.0.1"),
  PORT: int(3000, 0, 65535),

  WECOM_CORP_ID: optionalText,
  WECOM_AGENT_ID: z.coerce
    .number()
    .int()
    .positive({ error: "expected a positive integer (应用 AgentId)" })
    .optional(),
  WECOM_SECRET: optionalText,
  WECOM_TOKEN: optionalText,
  WECOM_ENCODING_AES_KEY: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || /^[A-Za-z0-9]{43}$/.test(v), {
      error: "expected 43 characters [A-Za-z0-9] (EncodingAESKey)",
    }),
  WECOM_API_BASE: z
    .url({ error: "expected a URL such as https://qyapi.weixin.qq.com" })
    .default("https://qyapi.weixin.qq.com"),
  WECOM_REPLAY_WINDOW_S: int(300, 0, 86_400),
  WECOM_BODY_LIMIT_BYTES: int(65_536, 1_024, 10_485_760),

  WECOM_BOT_ID: optionalText,
  WECOM_BOT_SECRET: optionalText,
  WECOM_BOT_WS_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || /^wss?:\/\/\S+$/.test(v), {
      error: "expected a ws:// or wss:// URL such as wss://openws.work.weixin.qq.com",
    }),
  WECOM_BOT_LEASE_S: int(30, 5, 3_600),

  WECHATY_PUPPET: optionalText,
  WECHATY_PUPPET_SERVICE_TOKEN: optionalText,
  WECHATY_NAME: z.string().trim().min(1).default("kaiqu-bot"),
  WECHAT_MIN_DELAY_MS: int(1_500, 0, 600_000),
  WECHAT_MAX_DELAY_MS: int(4_000, 0, 600_000),
  WECHAT_ACCOUNT_PER_MIN: int(12, 1, 1_000),
  WECHAT_ACCOUNT_PER_DAY: int(400, 1, 100_000),
  WECHAT_ROOM_PER_MIN: int(4, 1, 1_000),
  WECHAT_ROOM_PER_DAY: int(60, 1, 100_000),
  WECHAT_QUIET_HOURS: quietHours,
  WECHAT_BREAKER_PAUSE_MIN: int(60, 1, 10_080),

  AUTO_CONFIRM: bool(false),
  INBOUND_LEASE_S: int(60, 5, 3_600),
  DRAFT_TTL_MIN: int(1_440, 1, 43_200),

  OUTBOX_POLL_MS: int(1_000, 50, 600_000),
  OUTBOX_BATCH: int(20, 1, 1_000),
  OUTBOX_MAX_ATTEMPTS: int(8, 1, 100),
  OUTBOX_LEASE_S: int(120, 5, 86_400),

  SCHEDULER_ENABLED: bool(true),
  SCHEDULER_CRON: z.string().trim().min(1).default("* * * * *"),

  KAIQU_CLOCK_START: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || (/^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))), {
      error: "expected an ISO instant such as 2023-04-10T09:00:00+08:00",
    }),

  CIRCULAR_DOC_PREFIX: z.string().trim().min(1).default("黔商函"),
  CIRCULAR_ISSUER: z.string().trim().min(1).default("贵州省商务厅经开区培育工作专班"),
  CIRCULAR_OUT_DIR: z.string().trim().min(1).default("out/circulars"),

  WEB_ENABLED: bool(true),
  WEB_BASE_URL: z
    .url({ error: "expected the console's public URL, e.g. https://kaiqu.example.gov.cn" })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  WEB_COOKIE_SECURE: z
    .enum(["auto", "true", "false"], { error: "expected auto, true or false" })
    .default("auto"),
  WEB_SESSION_TTL_MIN: int(720, 5, 43_200),
  WEB_LOGIN_PER_MIN: int(10, 1, 1_000),
  CHART_FONT_FILE: optionalText,
  KAIQU_SOFFICE: z.string().trim().min(1).default("/usr/bin/soffice"),
  FILE_MAX_BYTES: int(5_242_880, 1_024, 52_428_800),
  FILE_STORE_DIR: z.string().trim().min(1).default("data/files"),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  instanceId: string;
  /** Group-robot webhook keys by env-var name (WECOM_ROBOT_KEY_*). Never logged. */
  robotKeys: Readonly<Record<string, string>>;
  wecomEnabled: boolean;
  wechatyEnabled: boolean;
  /** WECOM_BOT_ID and WECOM_BOT_SECRET set: the 智能机器人 long connection is on. */
  wecomBotEnabled: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置错误 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const WECOM_REQUIRED = [
  "WECOM_CORP_ID",
  "WECOM_AGENT_ID",
  "WECOM_SECRET",
  "WECOM_TOKEN",
  "WECOM_ENCODING_AES_KEY",
] as const;

/** An empty value means "unset" (so a copied .env.example with blank values keeps every default). */
export function withoutEmptyValues(source: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v.trim() !== "") out[k] = v;
  return out;
}

/** Reads the configuration once; throws ConfigError naming each bad variable. */
export function loadConfig(
  raw: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env,
): Config {
  const source = withoutEmptyValues(raw);
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? "?");
        const got = source[name];
        return `${name}: ${i.message}${got === undefined ? "" : ` (got "${redact(name, got)}")`}`;
      }),
    );
  }
  const env = parsed.data;
  const problems: string[] = [];
  const wecomSet = WECOM_REQUIRED.filter((k) => env[k] !== undefined);
  if (wecomSet.length > 0 && wecomSet.length < WECOM_REQUIRED.length) {
    const missing = WECOM_REQUIRED.filter((k) => env[k] === undefined);
    problems.push(
      `${missing.join(", ")}: expected to be set together with ${wecomSet.join(", ")} (WeCom needs all five)`,
    );
  }
  if ((env.WECOM_BOT_ID === undefined) !== (env.WECOM_BOT_SECRET === undefined)) {
    problems.push(
      `${env.WECOM_BOT_ID === undefined ? "WECOM_BOT_ID" : "WECOM_BOT_SECRET"}: expected to be set together with ${
        env.WECOM_BOT_ID === undefined ? "WECOM_BOT_SECRET" : "WECOM_BOT_ID"
      } (智能机器人 BotID and Secret)`,
    );
  }
  if (env.WECHAT_MIN_DELAY_MS > env.WECHAT_MAX_DELAY_MS) {
    problems.push("WECHAT_MIN_DELAY_MS: expected ≤ WECHAT_MAX_DELAY_MS");
  }
  const robotKeys: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (!k.startsWith("WECOM_ROBOT_KEY_") || v === undefined || v.trim() === "") continue;
    if (!/^WECOM_ROBOT_KEY_[A-Z0-9_]+$/.test(k)) {
      problems.push(`${k}: expected a name of the form WECOM_ROBOT_KEY_[A-Z0-9_]+`);
      continue;
    }
    robotKeys[k] = v.trim();
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...env,
    instanceId: env.INSTANCE_ID ?? `${os.hostname()}-${process.pid}`,
    robotKeys,
    wecomEnabled: wecomSet.length === WECOM_REQUIRED.length,
    wechatyEnabled: env.WECHATY_PUPPET !== undefined,
    wecomBotEnabled: env.WECOM_BOT_ID !== undefined && env.WECOM_BOT_SECRET !== undefined,
  };
}

const SECRET_NAMES = /SECRET|TOKEN|AES_KEY|ROBOT_KEY|PASSWORD/;

/**
 * What a config error may show of a value: nothing for secret-named variables, else a short prefix
 * and the length — enough to recognise a typo, too little to leak a secret pasted into the wrong variable.
 */
function redact(name: string, value: string): string {
  if (SECRET_NAMES.test(name)) return `*** (${value.length} chars)`;
  return value.length <= 4 ? value : `${value.slice(0, 4)}… (${value.length} chars)`;
}
