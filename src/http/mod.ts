export * from "./admin_api.ts";
export * from "./data_api.ts";
