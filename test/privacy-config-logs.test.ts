import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config/config.js";
import { createLogger, scrubUrl } from "../src/log/logger.js";

// #18: config errors never echo secrets; idempotency keys are logged, credentials are not.
const SECRET = "S3cr3tValueThatMustNotLeak0123456789abcdef";

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("config errors", () => {
  it("a secret pasted into a non-secret variable is cut to a short prefix", () => {
    const msg = configError({ WECOM_AGENT_ID: SECRET });
    expect(msg).toContain("WECOM_AGENT_ID");
    expect(msg).not.toContain(SECRET);
    expect(msg).not.toContain(SECRET.slice(0, 8));
  });

  it("every variable's value is cut, e.g. a password inside a malformed DATABASE_URL", () => {
    const msg = configError({ DATABASE_URL: "mysql://kaiqu:hunter2pass@db.example/kaiqu" });
    expect(msg).toContain("DATABASE_URL");
    expect(msg).not.toContain("hunter2pass");
    const quiet = configError({ LOG_LEVEL: "verbose-and-loud" });
    expect(quiet).not.toContain("verbose-and-loud");
  });

  it("secret-named variables show nothing of their value", () => {
    const msg = configError({ WECOM_ENCODING_AES_KEY: `${SECRET}!` });
    expect(msg).toContain("WECOM_ENCODING_AES_KEY");
    expect(msg).not.toContain(SECRET.slice(0, 3));
  });
});

describe("log redaction", () => {
  function lines(fn: (log: ReturnType<typeof createLogger>) => void): string {
    const out: string[] = [];
    fn(createLogger("info", { write: (s: string) => out.push(s) } as never));
    return out.join("");
  }

  it("logs outbox idempotency keys", () => {
    const text = lines((log) =>
      log.info({ key: "reply:42:1", row: { key: "remind:2023Q1:T-7:c1" } }, "sent"),
    );
    expect(text).toContain('"key":"reply:42:1"');
    expect(text).toContain("remind:2023Q1:T-7:c1");
  });

  it("keeps robot webhook keys, tokens and secrets out", () => {
    const text = lines((log) =>
      log.info(
        {
          robotKeys: { WECOM_ROBOT_KEY_QN: "robot-key-123" },
          robotKey: "robot-key-456",
          webhookKey: "robot-key-789",
          token: "tok-1",
          access_token: "tok-2",
          secret: "sec-1",
          url: scrubUrl("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=robot-key-000"),
        },
        "send",
      ),
    );
    for (const s of [
      "robot-key-123",
      "robot-key-456",
      "robot-key-789",
      "robot-key-000",
      "tok-1",
      "tok-2",
      "sec-1",
    ])
      expect(text).not.toContain(s);
  });
});
