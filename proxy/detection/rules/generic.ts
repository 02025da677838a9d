// Generic application attacks that are not tied to one back-end language:
// prototype pollution, Node.js injection, server-side template injection,
// JavaScript denial-of-service loops and XML external entities.
import { C, C_QUOTES, K, K_INPUT, reHit, type Hit, type Rule } from "../subject.js";

const PROTO = /__proto__|\bconstructor[\s'"\]\[./]{1,8}prototype\b/;
/** global['process'], process["mainModule"], this['require']: the same objects reached with bracket access. */
const NODE_BRACKET_ACCESS =
  /\b(?:global|globalthis|this|process|module|self)[\s]*\[[\s]*(['"`])(?:process|mainmodule|require|binding|dlopen|env|constructor|child_process)\1[\s]*\]/;
const NODE_INJECTION =
  /\brequire[\s]*\([\s]*['"`](?:child_process|fs|net|vm|os|http|https|dgram|cluster|worker_threads|module)['"`]|\bchild_process\b|\bprocess[\s]*\.[\s]*(?:mainmodule|binding|dlopen|kill|exit|env\b)|\bglobal(?:this)?[\s]*\.[\s]*process\b|\.constructor[\s]*\.[\s]*constructor[\s]*\(|\bmodule[\s]*\.[\s]*constructor\b|\bthis[\s]*\.[\s]*constructor[\s]*\.[\s]*constructor/;
// Template expressions are found whole (bounded, greedy, no nesting) and
// then their body is checked for what makes them an attack rather than a
// placeholder like {{name}}.
const TEMPLATE_BLOCKS = /\{\{([^{}]{1,200})\}\}|\{%([^%{}]{1,200})%\}|<%[=-]?([^%<>]{1,200})%>|[#*@$]\{([^{}]{1,100})\}/g;
const TEMPLATE_BODY =
  /\d['"]?[\s]*[*+\/-][\s]*['"]?\d|\(|\.__|\b(?:constructor|config|self|request|lipsum|cycler|joiner|namespace|_self|settings|app|getclass|class|system|exec|import|include|eval|load|debug|macro)\b|\[['"]__|\bt[\s]*\(|\bnew[\s]/;
const TEMPLATE_MARKERS = /\{php\}|\{\$smarty\./;

function findTemplateExpression(lower: string): Hit | null {
  TEMPLATE_BLOCKS.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TEMPLATE_BLOCKS.exec(lower)) !== null) {
    const body = m[1] ?? m[2] ?? m[3] ?? m[4] ?? "";
    // ${jndi:…}-style lookups are the java family's business
    if (m[0].startsWith("${") && /^[\s]*[a-z]*:/.test(body)) continue;
    if (TEMPLATE_BODY.test(body)) return [m.index, m.index + m[0].length];
    // overlapping openings such as "{{{{": step one character, never rescan the whole match
    TEMPLATE_BLOCKS.lastIndex = m.index + 1;
  }
  return reHit(TEMPLATE_MARKERS, lower);
}

/** Reaching the Function constructor without the dotted chain: ['constructor']['constructor'], X.constructor('return …'), Reflect.construct(Function, …), new Function('return …'). */
const FUNCTION_CONSTRUCTOR =
  /\[[\s]*['"`]constructor['"`][\s]*\][\s]*\[[\s]*['"`]constructor['"`]|\.constructor[\s]*(?:\(|`)[\s]*['"`][^'"`\n]{0,60}?\breturn\b|\breflect[\s]*\.[\s]*construct[\s]*\([\s]*function\b|\bnew[\s]+function[\s]*\([\s]*['"`][^'"`\n]{0,60}?\b(?:return|process|require|global)\b|\bfunction[\s]*\([\s]*['"`][\s]*return[\s]+(?:process|global|this|require)\b/;
/** Serialized-function markers of node-serialize and funcster: deserialising them runs the function. */
const SERIALIZED_FUNCTION = /\$\$nd_(?:func|cc)\$\$|["']__js_function["'][\s]*:/;
/** Ruby process, reflection and eval entry points (Process.spawn, Kernel.exec, IO.popen, Open3, %x(), send(:system)). */
const RUBY_INJECTION =
  /\b(?:process[\s]*\.[\s]*(?:spawn|exec|fork|daemon)|kernel[\s]*\.[\s]*(?:exec|system|spawn|open|eval|fork|syscall|`)|io[\s]*\.[\s]*(?:popen|sysopen|readlines)|open3[\s]*\.[\s]*(?:popen[23e]?|capture[23]e?|pipeline\w{0,6})|object[\s]*\.[\s]*const_get|objectspace[\s]*\.[\s]*each_object|(?:instance|class|module)_eval|instance_variable_[gs]et|public_send[\s]*\([\s]*:|send[\s]*\([\s]*:(?:system|exec|eval|spawn|`|instance_eval)|erb[\s]*\.[\s]*new)\b|(?:^|[^\w%])%x[({\[|!][^)}\]|!\n]{1,200}[)}\]|!]/;

const XXE = /<!entity\b[^>]{0,300}?\b(?:system|public)\b|<!doctype[^>[]{0,200}\[[^\]]{0,500}?<!entity/;

/** Falsy literals: `while(<falsy>)` is harmless. */
const FALSY = new Set(["false", "0", "-0", "+0", "''", '""', "``", "null", "undefined", "nan", "!true", "!1"]);

/** while(<constant truthy expression>) and for(;;): the attack is an infinite loop, the class is a constant condition. */
export function findConstantLoop(lower: string): Hit | null {
  let i = lower.indexOf("while");
  while (i >= 0) {
    let j = i + 5;
    while (j < lower.length && lower.charCodeAt(j) <= 32) j++;
    if (lower.charCodeAt(j) === 40) {
      let k = j + 1;
      let depth = 1;
      const stop = Math.min(lower.length, j + 64);
      for (; k < stop; k++) {
        const c = lower.charCodeAt(k);
        if (c === 40) depth++;
        else if (c === 41 && --depth === 0) break;
      }
      // unbalanced "while((true)))" still counts: take the text up to the last ")" in the window
      const inner = lower.slice(j + 1, k < stop ? k : stop).replace(/[\s]+/g, "");
      const cond = inner.replace(/^\(+|\)+$/g, "").replace(/\)+$/, "");
      if (cond.length > 0 && isConstantTruthy(cond)) return [i, Math.min(k + 1, lower.length)];
    }
    i = lower.indexOf("while", i + 5);
  }
  const f = /\bfor[\s]*\([\s]*;[\s]*;[\s]*\)/.exec(lower);
  return f ? [f.index, f.index + f[0].length] : null;
}

function isConstantTruthy(cond: string): boolean {
  if (FALSY.has(cond)) return false;
  // literals, negations, numbers, Infinity/NaN, empty object/array/strings, this, global constructors
  if (
    !/^[!+\-]*(?:true|false|null|undefined|nan|infinity|\d+(?:\.\d+)?|''|""|``|\{\}|\[\]|this|newdate(?:\(\))?|new[a-z]+(?:\(\))?|string|number|object|array|boolean|date|symbol|function|math|json)$/.test(
      cond,
    )
  )
    return false;
  // evaluate the negations on the literal's truthiness
  const m = /^([!+\-]*)(.*)$/.exec(cond)!;
  const ops = m[1]!;
  const lit = m[2]!;
  // double negation of a literal ("!!''") is a probe for the same bug even when it evaluates falsy
  if (ops.indexOf("!!") >= 0) return true;
  let truthy = !(
    lit === "false" ||
    lit === "null" ||
    lit === "undefined" ||
    lit === "nan" ||
    /^0+(?:\.0+)?$/.test(lit) ||
    lit === "''" ||
    lit === '""' ||
    lit === "``"
  );
  for (let i = ops.length - 1; i >= 0; i--) if (ops[i] === "!") truthy = !truthy;
  return truthy;
}

const T = K_INPUT | K.PATH;

/**
 * A value that breaks out of the statement it lands in, runs a call and
 * comments out the rest: `a;exit(md5('x'));//`, `'.exit(md5('x'));#`,
 * `';d=new Date();do{…}while(cd-d<1e4);//`. The empty line comment that
 * ends the value is what makes it a breakout (code pasted in a comment ends
 * in text, not in a bare // or #). Read on the last 400 characters only.
 */
const CODE_BREAKOUT = /[;.][\s]*(?:[a-z_$][\w$]{0,30}[\s]*=[\s]*)?(?:new[\s]+)?[a-z_$][\w$]{0,30}[\s]*\([^\n]{0,300}\)[\s]*;[\s]*(?:\/\/|#)[\s]*$/;

export function findCodeBreakout(lower: string): Hit | null {
  const t = lower.trimEnd();
  if (!t.endsWith("//") && !t.endsWith("#")) return null;
  const from = Math.max(0, t.length - 400);
  const m = CODE_BREAKOUT.exec(t.slice(from));
  return m ? [from + m.index, from + m.index + m[0].length] : null;
}

export const GENERIC_RULES: Rule[] = [
  {
    id: "generic.prototype-pollution",
    family: "generic",
    level: "basic",
    description: "__proto__ or constructor.prototype / constructor[prototype] in names, keys or values",
    targets: T,
    needs: C.UNDERSCORE | C.DOT | C.LBRACK | C.SLASH | C_QUOTES | C.SPACE,
    test: (s) => (s.lower.indexOf("proto") >= 0 ? reHit(PROTO, s.lower) : null),
  },
  {
    id: "generic.nodejs-injection",
    family: "generic",
    level: "standard",
    description: "Node.js injection: require('child_process'), process.mainModule, constructor.constructor(…)",
    targets: T,
    needs: C.DOT | C.LPAREN,
    test: (s) => reHit(NODE_INJECTION, s.lower),
  },
  {
    id: "generic.nodejs-bracket-access",
    family: "generic",
    level: "standard",
    description: "Node.js globals reached with bracket access (global['process'], process['mainModule'], this['require'])",
    targets: T,
    needs: C.LBRACK,
    test: (s) => reHit(NODE_BRACKET_ACCESS, s.lower),
  },
  {
    id: "generic.function-constructor",
    family: "generic",
    level: "standard",
    description:
      "The Function constructor reached without the dotted chain: ['constructor']['constructor'], x.constructor('return …')(), Reflect.construct(Function…), new Function('return process')",
    targets: T,
    needs: C.LPAREN | C.LBRACK | C.BACKTICK,
    test: (s) => (s.lower.indexOf("construct") >= 0 || s.lower.indexOf("function") >= 0 ? reHit(FUNCTION_CONSTRUCTOR, s.lower) : null),
  },
  {
    id: "generic.serialized-function",
    family: "generic",
    level: "basic",
    description: "Serialized-function markers (node-serialize _$$ND_FUNC$$_ / _$$ND_CC$$_, funcster __js_function) that run code when deserialised",
    targets: T,
    needs: C.DOLLAR | C.UNDERSCORE,
    test: (s) => reHit(SERIALIZED_FUNCTION, s.lower),
  },
  {
    id: "generic.ruby-injection",
    family: "generic",
    level: "standard",
    description:
      "Ruby command and eval entry points: Process.spawn, Kernel.exec/system, IO.popen, Open3, Object.const_get, instance_eval, send(:system), %x(…)",
    targets: T,
    needs: C.DOT | C.LPAREN | C.UNDERSCORE,
    test: (s) => reHit(RUBY_INJECTION, s.lower),
  },
  {
    id: "generic.template-injection",
    family: "generic",
    level: "standard",
    description: "Server-side template expressions with arithmetic, calls or object walking ({{7*7}}, {% import %}, <%= %>, #{…}, ${7*7})",
    targets: T,
    needs: C.LBRACE | C.LT,
    test: (s) => findTemplateExpression(s.lower),
  },
  {
    id: "generic.constant-loop",
    family: "generic",
    level: "standard",
    description: "Infinite loops with a constant condition (while(true), while(!0), for(;;)) for JavaScript denial of service",
    targets: T,
    needs: C.LPAREN,
    test: (s) => findConstantLoop(s.lower),
  },
  {
    id: "generic.code-breakout",
    family: "generic",
    level: "standard",
    description: "A value that ends the statement it lands in, runs a call and comments out the rest (a;exit(md5('x'));//, ';d=new Date();…;//, \".exit(…);#)",
    targets: K_INPUT,
    needs: C.SEMI,
    test: (s) => findCodeBreakout(s.lower),
  },
  {
    id: "generic.xxe",
    family: "generic",
    level: "standard",
    description: "XML external entity declarations (<!ENTITY x SYSTEM …>)",
    targets: K_INPUT,
    needs: C.LT,
    test: (s) => reHit(XXE, s.lower),
  },
];
