export declare function findRouteFiles(apiDir: string): { urlPath: string; file: string }[];
