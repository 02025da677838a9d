import type { RiskFlagCode } from "@/lib/approvals/compute-risk-flags";

/** What each risk flag is called on the page and in the queue's filter. */
export const RISK_FLAG_LABELS: Record<RiskFlagCode, string> = {
  loosening: "Loosens protection",
  "exception-added": "New exception",
  "exception-widened": "Widened exception",
  "exception-weak-justification": "Exception without real justification",
  "exception-long-expiry": "Long-lived exception",
  "deny-log-only": "Deny family to log-only",
  "security-header-removed": "Security header removed",
  "ip-range-broadened": "Broader IP ranges",
  "openapi-removed": "OpenAPI removed",
  "openapi-log-only": "OpenAPI to log-only",
  "internet-without-fine-grained": "Internet-facing without fine-grained policy",
  "content-relaxed": "Content fields relax deny rules",
};
