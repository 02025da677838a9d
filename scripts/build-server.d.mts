export declare const SERVER_ENTRIES: Record<"serve.mjs" | "db-migrate.mjs" | "proxy.mjs", string>;
export declare const SERVER_OUTDIR: string;
export declare function buildServer(outdir?: string, entries?: Record<string, string>): Promise<void>;
