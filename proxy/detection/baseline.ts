// The "baseline standard" config: every family at the given level and mode.
import { FAMILIES, type DetectorConfig, type Level, type Mode } from "./types.js";

export function baselineConfig(level: Level = "standard", mode: Mode = "block"): DetectorConfig {
  return { families: Object.fromEntries(FAMILIES.map((f) => [f, { level, mode }])) };
}
