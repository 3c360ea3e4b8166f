/** Chronoraft's version string, reported by `version`, `/ping` and `/v1/health`. */
export const VERSION = "0.1.0";
