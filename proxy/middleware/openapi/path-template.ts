// OpenAPI path templates → a segment trie, built once. Lookup walks the
// normalised path's segments preferring literal segments over templated ones
// (OpenAPI: concrete paths match before templated paths), so /payments/search
// beats /payments/{paymentId}. Segments that mix literals and parameters
// ("{name}.{ext}", "v{version}") are matched with indexOf, never a regex, so
// a long segment costs linear time.

export interface TemplateMatch<T> {
  value: T;
  template: string;
  /** Raw (normalised) path parameter values by name. */
  params: Record<string, string>;
}

type SegmentPart = { literal: string } | { param: string };

interface Node<T> {
  literal: Map<string, Node<T>>;
  /** Segments that are exactly one parameter. */
  param: { name: string; node: Node<T> } | null;
  /** Segments mixing literals and parameters. */
  complex: Array<{ parts: SegmentPart[]; node: Node<T> }>;
  end: { template: string; value: T } | null;
}

const newNode = <T>(): Node<T> => ({ literal: new Map(), param: null, complex: [], end: null });

export class PathTemplateIndex<T> {
  private readonly root: Node<T> = newNode<T>();

  add(template: string, value: T): void {
    let node = this.root;
    for (const segment of splitPath(template)) {
      const parts = parseSegment(segment);
      if (parts.length === 1 && "literal" in parts[0]!) {
        const key = parts[0].literal;
        let next = node.literal.get(key);
        if (!next) node.literal.set(key, (next = newNode<T>()));
        node = next;
      } else if (parts.length === 1 && "param" in parts[0]!) {
        // Two templates that differ only in a parameter's name are the same path; the first name wins.
        node.param ??= { name: parts[0].param, node: newNode<T>() };
        node = node.param.node;
      } else {
        const key = JSON.stringify(parts);
        let entry = node.complex.find((c) => JSON.stringify(c.parts) === key);
        if (!entry) node.complex.push((entry = { parts, node: newNode<T>() }));
        node = entry.node;
      }
    }
    if (node.end) throw new Error(`OpenAPI paths ${node.end.template} and ${template} are the same path`);
    node.end = { template, value };
  }

  /** The most specific template matching the normalised path, or null. */
  match(path: string): TemplateMatch<T> | null {
    const segments = splitPath(path);
    const params: Record<string, string> = {};
    const end = walk(this.root, segments, 0, params);
    return end ? { value: end.value, template: end.template, params } : null;
  }
}

function walk<T>(node: Node<T>, segments: string[], index: number, params: Record<string, string>): Node<T>["end"] {
  if (index === segments.length) return node.end;
  const segment = segments[index]!;
  const literal = node.literal.get(segment);
  if (literal) {
    const end = walk(literal, segments, index + 1, params);
    if (end) return end;
  }
  for (const complex of node.complex) {
    const values = matchComplex(segment, complex.parts);
    if (!values) continue;
    const end = walk(complex.node, segments, index + 1, params);
    if (end) {
      Object.assign(params, values);
      return end;
    }
  }
  if (node.param && segment.length > 0) {
    const end = walk(node.param.node, segments, index + 1, params);
    if (end) {
      params[node.param.name] = segment;
      return end;
    }
  }
  return null;
}

function splitPath(path: string): string[] {
  return path === "/" || path === "" ? [] : path.slice(1).split("/");
}

function parseSegment(segment: string): SegmentPart[] {
  const parts: SegmentPart[] = [];
  let i = 0;
  while (i < segment.length) {
    const open = segment.indexOf("{", i);
    if (open < 0) {
      parts.push({ literal: segment.slice(i) });
      break;
    }
    if (open > i) parts.push({ literal: segment.slice(i, open) });
    const close = segment.indexOf("}", open);
    if (close < 0) throw new Error(`unbalanced "{" in path segment ${segment}`);
    if (parts.length > 0 && "param" in parts[parts.length - 1]!)
      throw new Error(`path segment ${segment} has two adjacent parameters, which cannot be told apart`);
    parts.push({ param: segment.slice(open + 1, close) });
    i = close + 1;
  }
  return parts;
}

/** Leftmost split: each parameter takes at least one character, literals are found with indexOf. */
function matchComplex(segment: string, parts: SegmentPart[]): Record<string, string> | null {
  let pos = 0;
  let end = segment.length;
  const last = parts[parts.length - 1]!;
  if ("literal" in last) {
    if (!segment.endsWith(last.literal)) return null;
    end -= last.literal.length;
  }
  const values: Record<string, string> = {};
  const count = "literal" in last ? parts.length - 1 : parts.length;
  for (let i = 0; i < count; i++) {
    const part = parts[i]!;
    if ("literal" in part) {
      if (i === 0) {
        if (!segment.startsWith(part.literal)) return null;
        pos = part.literal.length;
      }
      continue;
    }
    const next = parts[i + 1];
    let stop: number;
    if (next === undefined || i + 1 >= count) stop = end;
    else {
      stop = segment.indexOf((next as { literal: string }).literal, pos + 1);
      if (stop < 0 || stop >= end) return null;
    }
    if (stop <= pos) return null;
    values[part.param] = segment.slice(pos, stop);
    pos = next === undefined || i + 1 >= count ? stop : stop + (next as { literal: string }).literal.length;
  }
  return pos === end ? values : null;
}
