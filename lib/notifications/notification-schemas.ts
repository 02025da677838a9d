import { z } from "zod";
import { pageOf, paginationQuery } from "@/lib/shared/pagination";

export const notificationSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  readAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

export const listNotificationsQuery = z.strictObject({
  ...paginationQuery,
  unread: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});
export type ListNotificationsQuery = z.output<typeof listNotificationsQuery>;

export const notificationPageSchema = pageOf(notificationSchema).extend({ unread: z.number().int() });

export const unreadCountSchema = z.object({ unread: z.number().int() });

export const markNotificationsReadInput = z.strictObject({
  /** Without ids, every unread notification of the caller is marked read. */
  ids: z.array(z.uuid()).max(100).optional(),
});
