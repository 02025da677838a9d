// The policy contract shared by the portal and the proxy: schemas, parsing,
// layering, compilation and diffs. Pure: no I/O, no framework, no other lib/ imports.

export { baselinePolicySchema, type BaselinePolicy, type BaselinePolicyInput } from "./baseline-policy-schema";
export { applicationPolicySchema, type ApplicationPolicy, type ApplicationPolicyInput } from "./application-policy-schema";
export { policyDocumentSchema, POLICY_KINDS, type PolicyDocument, type PolicyKind } from "./policy-document-schema";
export { effectivePolicySchema, policySourcesSchema, type EffectivePolicy, type PolicySources, type SettingOrigin } from "./effective-policy-schema";
export {
  BUNDLE_FORMAT,
  bundleSchema,
  bundleBodySchema,
  signedBundleSchema,
  pathMatcherSchema,
  ipRangeSetSchema,
  type Bundle,
  type BundleBody,
  type SignedBundle,
  type PathMatcher,
  type IpRangeSet,
} from "./bundle-schema";
export { parsePolicyDocument, POLICY_DOCUMENT_LIMITS, type ParsePolicyOptions, type ParsePolicyResult } from "./parse-policy-document";
export { serializePolicyDocument, type SerializePolicyOptions } from "./serialize-policy-document";
export { mergePolicies, type MergeError, type MergeOptions, type MergeResult } from "./merge-policies";
export { compilePolicy, serializeBundle, type CompileOptions } from "./compile-policy";
export { diffPolicies, type PolicyChange, type PolicyDiff, type ChangeKind, type ChangeRisk } from "./diff-policies";
export { policyJsonSchema, POLICY_JSON_SCHEMA_FILES, type PolicyJsonSchemaFile } from "./policy-json-schemas";
export { formatJsonPath, type PolicyError } from "./policy-error";
export { canonicalJson } from "./canonical-json";
export { omitBundleNulls, restoreBundleNulls } from "./bundle-nulls";
export { sha256Hex } from "./sha256";
export { parseCidr, toIpRangeSet, toRangeBounds, type CidrParseResult, type IpRange, type IpRangeBounds } from "./cidr";
export { parseIpAddress, type IpAddress } from "./ip-address";
export { matchesPath } from "./path-pattern";
export { escapePointerToken, localRefKeys, resolveLocalRef, unescapePointerToken } from "./json-pointer";
export { API_VERSION, HTTP_METHODS, STANDARD_HTTP_METHODS } from "./sections/policy-fields";
export { DENY_FAMILIES, DENY_FAMILY_LABELS, DENY_LEVELS, VIRTUAL_PATCHES, type DenyFamily, type DenyLevel } from "./sections/deny-rules";
export { REQUEST_PARTS, type PolicyException } from "./sections/exceptions";
export { DENY_RULES } from "./sections/deny-rule-catalog";
export { DENY_RULE_DESCRIPTIONS } from "./sections/deny-rule-descriptions";
export { REQUEST_LIMITS, UNINSPECTED_MODES } from "./sections/request-limits";
export { CONTENT_ENCODING_MODES, DEFAULT_BLOCKED_UPLOAD_EXTENSIONS, XML_DOCTYPE_MODES } from "./sections/request-bodies";
export { settingOrigin } from "./setting-origin";
export { DELIVERY_FORMAT, deliverySetSchema, proxyStatusReportSchema, type DeliverySet, type ProxyStatusReport } from "./delivery-schema";
export { PARAMETER_STYLES, type ParameterLocation, type ParameterStyle } from "./sections/openapi";
export { CONTENT_MARKER, CONTENT_PROFILES, NEVER_RELAXED_RULES, type ContentProfile } from "./sections/content-profiles";
export {
  classifyFieldSchema,
  contentProfileOf,
  listEffectiveOperationFields,
  listOperationFields,
  listSpecContentFields,
  markContentField,
  pointerMatches,
  suggestContentMarkings,
  type ContentMarkingSuggestion,
  type FieldClass,
  type FieldLocation,
  type OperationField,
  type OperationFields,
  type SpecPath,
} from "./content-fields";
export {
  SECURITY_EVENT_ACTIONS,
  SECURITY_EVENT_BATCH_LIMITS,
  securityEventBatchSchema,
  securityEventCounterSchema,
  securityEventSchema,
  type SecurityEvent,
  type SecurityEventAction,
  type SecurityEventBatch,
  type SecurityEventCounter,
} from "./security-events-schema";
export { isSecretPlace, maskSecrets, MASKED } from "./mask-secrets";
