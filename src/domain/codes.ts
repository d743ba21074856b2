import { z } from "zod";

/** Cultivated groups. A zone may belong to several in one year. */
export const GROUP_CODES = ["national", "foreign_trade", "provincial"] as const;
export type GroupCode = (typeof GROUP_CODES)[number];
export const groupCodeSchema = z.enum(GROUP_CODES);
export const GROUP_LABELS: Record<GroupCode, string> = {
  national: "国家级经开区培育对象",
  foreign_trade: "外贸升级经开区",
  provincial: "省级经开区培育对象",
};

export const ROLES = ["bureau_contact", "bureau_lead", "task_force"] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);
export const ROLE_LABELS: Record<Role, string> = {
  bureau_contact: "市州商务局联络员",
  bureau_lead: "市州商务局分管领导",
  task_force: "省专班",
};

export const INDICATOR_KINDS = ["money", "count", "percent", "text"] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
export const indicatorKindSchema = z.enum(INDICATOR_KINDS);

export const AUDIENCES = ["prefecture", "task_force", "province"] as const;
export type Audience = (typeof AUDIENCES)[number];
export const audienceSchema = z.enum(AUDIENCES);

/**
 * Where an inbound message came from. Channels are names a transport owns (bot/transports/<name>/
 * channel.ts); the core does not list them.
 */
export type InboundChannel = string;

/** How an outbox row is delivered: an outbox channel named by a transport. */
export type OutboxChannel = string;
export const outboxChannelSchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, {
  error: "expected a transport's outbox channel name: lowercase letters, digits and _",
});

export const REVISION_STATUSES = ["pending", "confirmed", "cancelled", "expired"] as const;
export type RevisionStatus = (typeof REVISION_STATUSES)[number];
