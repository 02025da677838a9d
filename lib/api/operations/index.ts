// Importing this module registers every API operation (for the OpenAPI document and
// the authorization-matrix test). Add each new operations file here.
export * from "./auth-operations";
export * from "./application-operations";
export * from "./user-operations";
export * from "./team-operations";
export * from "./token-operations";
export * from "./audit-operations";
export * from "./architecture-operations";
export * from "./policy-operations";
export * from "./approval-operations";
export * from "./delivery-operations";
export * from "./kubernetes-delivery-operations";
export * from "./sso-operations";
export * from "./security-event-operations";
