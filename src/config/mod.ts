export * from "./types.ts";
export * from "./errors.ts";
export { configFromToml, embeddedDefault, keyName, parseConfig } from "./load.ts";
export { renderDefaultConfig, renderReferenceTable } from "./render.ts";
export { KEY_SPECS, type KeySpec } from "./spec.ts";
