export * from "./admin_api.ts";
export * from "./data_api.ts";
export { ParsePool, type ParsePoolOptions } from "./parse_pool.ts";
