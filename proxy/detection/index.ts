// Public API of the deny-rule detection engine.
export { compileDetector, type DetectorOptions } from "./compile-detector.js";
export { listRules, REQUEST_CHECKS, type RuleInfo } from "./rule-catalog.js";
export { baselineConfig } from "./baseline.js";
export {
  FAMILIES,
  LEVELS,
  MODES,
  PARTS,
  detectorConfigSchema,
  familySettingSchema,
  type DetectionMatch,
  type DetectionRequest,
  type DetectionResult,
  type Detector,
  type DetectorConfig,
  type Family,
  type FamilySetting,
  type Level,
  type MatchAction,
  type Mode,
  type Part,
  type UninspectedPart,
} from "./types.js";
