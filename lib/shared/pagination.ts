import { z } from "zod";

// Page-based pagination shared by every list endpoint (`find*` functions). In
// lib/shared/ (neutral: zod only) because the domain's schemas and queries use it
// as much as the API layer does, and the domain must not import lib/api.
export const paginationQuery = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export function skipTake(page: number, pageSize: number) {
  return { skip: (page - 1) * pageSize, take: pageSize };
}
