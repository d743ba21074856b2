import { randomUUID } from "node:crypto";
import type { AppContext } from "../../../src/app-context.js";
import type { Config } from "../../../src/config/config.js";
import type { Store } from "../../../src/db/database.js";
import type { InboundAttachment } from "../../../src/inbound/inbound-event.js";
import type { Logger } from "../../../src/log/logger.js";
import { OutboxDispatcher } from "../../../src/outbox/dispatcher.js";
import { Outbox, type OutboxRow } from "../../../src/outbox/outbox.js";
import type { ContactDef } from "../../../src/programme/programme.js";
import { findContactByRef, listProgrammeYears } from "../../../src/programme/programme-repository.js";
import { reminderSendCheck } from "../../../src/reminders/reminder-send-check.js";
import type { Clock } from "../../../src/time/clock.js";
import { CliError } from "../../cli/cli-context.js";
import type { Composer } from "../../handlers/composer.js";
import type { Handler } from "../../handlers/handler.js";
import { createInboundHandler, type HandleResult } from "../../inbound/handle.js";
import { deliveryRoutes } from "../transports.js";
import { createConsoleSender } from "./console-sender.js";

export interface ConsoleSession {
  app: AppContext;
  contact: ContactDef;
  /** Runs one message through the production pipeline, then prints the replies. */
  send(text: string, kind?: "text" | "action", attachment?: InboundAttachment): Promise<HandleResult>;
  /** Delivers queued console replies to this contact (dispatcher passes until nothing is left). */
  flush(): Promise<number>;
}

/** `--as` names nobody on the roster (a CliError: the CLI prints it and exits 1). */
export class UnknownContactError extends CliError {
  constructor(
    readonly ref: string,
    emptyStore = false,
  ) {
    super(
      emptyStore
        ? `--as：数据库中还没有任何年度方案和联系人。样例请先运行 npm run kaiqu -- seed --sample（再用 --as qn_contact 试用），正式名单请运行 npm run kaiqu -- roster import FILE.xlsx / the store holds no programme yet: run npm run kaiqu -- seed --sample or roster import FILE.xlsx first`
        : `--as：名册中没有联系人“${ref}”。请填联系人ID、企业微信userid或微信ID，可用 npm run kaiqu -- contacts list 查看 / no contact with id, WeCom userid or WeChat id "${ref}"`,
    );
    this.name = "UnknownContactError";
  }
}

/**
 * A terminal conversation with the bot on the local store: events of channel "console" (one unique
 * externalId per message) go through `handle`, replies through the outbox and a dispatcher whose
 * console sender prints them.
 */
export async function openConsoleSession(opts: {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Contact id or WeCom userid (or WeChat id). */
  as: string;
  print: (text: string, row: OutboxRow) => void;
  /** The router (tests; default createRouter()). */
  router?: Composer | Handler[];
}): Promise<ConsoleSession> {
  const contact = await findContactByRef(opts.store.db, opts.as);
  if (!contact)
    throw new UnknownContactError(opts.as, (await listProgrammeYears(opts.store.db)).length === 0);
  const outbox = new Outbox(opts.store, opts.clock);
  const app: AppContext = {
    config: opts.config,
    store: opts.store,
    outbox,
    clock: opts.clock,
    logger: opts.logger,
    routes: deliveryRoutes(opts.config),
  };
  const handle = createInboundHandler(app, opts.router ? { router: opts.router } : {});
  const dispatcher = new OutboxDispatcher({
    outbox,
    senders: {
      console: createConsoleSender({ print: opts.print, clock: opts.clock, recipient: contact.id }),
    },
    clock: opts.clock,
    logger: opts.logger,
    instanceId: `console-${process.pid}`,
    batch: 50,
    maxAttempts: opts.config.OUTBOX_MAX_ATTEMPTS,
    leaseMs: opts.config.OUTBOX_LEASE_S * 1000,
    pollMs: opts.config.OUTBOX_POLL_MS,
    preSend: reminderSendCheck(opts.store.db),
  });
  const flush = async () => {
    let sent = 0;
    for (let pass = 0; pass < 100; pass++) {
      const s = await dispatcher.runOnce();
      sent += s.sent;
      if (s.sent === 0) break;
    }
    return sent;
  };
  return {
    app,
    contact,
    flush,
    async send(text, kind = "text", attachment) {
      const result = await handle({
        channel: "console",
        externalId: `console:${randomUUID()}`,
        senderRef: contact.id,
        kind,
        text,
        receivedAt: opts.clock.now(),
        ...(attachment ? { attachment } : {}),
      });
      await flush();
      return result;
    },
  };
}
