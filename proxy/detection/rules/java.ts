// Java attacks: Log4Shell/JNDI lookups (after lookup resolution),
// serialized objects, deserialization gadgets, process/runtime classes,
// OGNL/SpEL/EL expressions, class-loader manipulation, JSP uploads.
import { resolveLookups } from "../jndi.js";
import { C, K, K_ALL, K_INPUT, reHit, type Hit, type Rule, type Subject } from "../subject.js";
import { filenameForm } from "./rce.js";

function jndiForm(s: Subject): string {
  return s.derive("jndi", (x) => (x.lower.indexOf("${") >= 0 ? resolveLookups(x.text).toLowerCase() : x.lower));
}

const JNDI = /\$\{[\s]*jndi[\s]*:/;
const LOG4J_LOOKUP =
  /\$\{[\s]*(?:env|sys|java|ctx|main|bundle|date|lower|upper|base64|spring|k8s|docker|log4j|web|sd|map|marker|event|jvmrunargs|hostname)[\s]*:|\$\{[\s]*:[\s]*:[\s]*-/;
const RUNTIME_CLASS =
  /\bjava\.lang\.(?:runtime|processbuilder|processimpl|unixprocess|system\b|thread\b|reflect\.|classloader|class\b)|\bjavax\.script\.scriptengine|\bjavax\.naming\.(?:initialcontext|context)|\bjava\.net\.urlclassloader|\bjava\.beans\.xmldecoder|\bcom\.sun\.rowset\.jdbcrowsetimpl|\bcom\.sun\.org\.apache\.xalan|\borg\.codehaus\.groovy\.runtime|\bbsh\.interpreter|\bgetruntime[\s]*\([\s]*\)[\s]*\.[\s]*exec|\bnew[\s]+processbuilder|\bclass[\s]*\.[\s]*forname[\s]*\(|\.getclass[\s]*\([\s]*\)[\s]*\.[\s]*(?:forname|getclassloader|getmethod)/;
const JAVA_AND_PROCESS = /\bjavax?\.[^\n]{0,200}?(?:runtime|processbuilder)|(?:runtime|processbuilder)[^\n]{0,200}?\bjavax?\./;
const GADGETS =
  /(?:invoker|chained|constant|instantiate|clone|map|predicate|switch|closure|factory|nop|exception|string)transformer|\b(?:forclosure|whileclosure|instantiatefactory|prototypeclonefactory|prototypeserializationfactory|transformedmap|lazymap|templatesimpl|jdbcrowsetimpl|methodclosure|annotationinvocationhandler|badattributevalueexpexception|beancomparator|propertypathfactorybean|simplejndibeanfactory|jndidatasourcefactory|combopooleddatasource|xbean|bsh\.xthis|processbuilder\.evil)\b/;
const SERIALIZED_B64 = /\baced0005[0-9a-f]/;
const EXPRESSION =
  /%\{[^}]{0,60}?[#@(]|#_memberaccess|@ognl\.|ognlcontext|#context\[|#request\[|#session\[|#application\[|#parameters\b|xwork\.methodaccessor|\$\{[\s]*#|#\{[^}]{0,200}?\bt[\s]*\([\s]*java|\bt[\s]*\([\s]*java\.lang\.|@java\.lang\.|\$\{[^}]{0,100}?\.getclass[\s]*\(|\$\{[\s]*(?:''|"")\.|\$\{[\s]*(?:applicationscope|sessionscope|requestscope|pagecontext|facescontext)\b/;
const CLASS_LOADER = /\bclass[\s]*(?:\.[\s]*module[\s]*)?(?:\.|\[[\s'"]*)[\s]*classloader|\.getclassloader[\s]*\(|\bclassloader[\s]*\.[\s]*resources\b/;
const POLYMORPHIC_TYPE = /["']@type["'][\s]*:[\s]*["'](?:com|org|java|javax|net|sun|ch|oracle)\.|!!(?:javax?|com|org|net|sun)\.[a-z]/;
// Class names, decided by level (issue #14): a fully qualified name in a
// package that reaches files, processes, the network, reflection, scripting,
// naming or (de)serialization is structural (package path + Capitalised class,
// read on the original case) and runs at `standard`; exception and error
// types are left out because stack traces are everyday ticket content. Any
// other java./javax. class name is a keyword and waits for `strict`.
const DANGEROUS_CLASS_NAME =
  /\b(?:java\.(?:io|nio\.file|nio\.channels|net|lang\.reflect|lang\.invoke|lang|beans|rmi(?:\.[a-z]+)?|util\.(?:zip|jar|prefs))|javax\.(?:script|naming(?:\.[a-z]+)?|management(?:\.[a-z]+)?|xml\.transform|sql\.rowset)|sun\.(?:misc|reflect|rmi\.[a-z]+)|com\.sun\.(?:rowset|jndi\.[a-z]+|org\.apache\.[a-z.]{1,40})|org\.springframework\.(?:context\.support|beans\.factory\.config)|org\.apache\.commons\.(?:collections\d?\.functors|beanutils)|ch\.qos\.logback\.core\.(?:db|joran)|groovy\.lang)\.[A-Z][A-Za-z0-9_$]{1,60}\b(?<!Exception|Error)/;
const ANY_CLASS_NAME = /\bjavax?\.[a-z][a-z0-9_]{0,30}(?:\.[a-z][a-z0-9_]{0,30}){0,4}\.[a-z][a-z0-9_$]{1,60}\b/;
/** XStream / XMLDecoder documents: elements named after JDK classes, or <object class="java…">, <void method=…>. */
const XML_OBJECT_GRAPH =
  /<(?:java\.(?:util|lang|beans)\.[a-z]{2,40}|sorted-set|dynamic-proxy)\b|<object[\s]+class[\s]*=[\s]*["'](?:java|javax|com\.sun|sun)\.|<void[\s]+(?:method|property)[\s]*=/;
const JSP_UPLOAD = /\.(?:jspx?|jspf|jsw|jsv|jtml)\.*$/;

const T = K_INPUT | K.PATH | K.HEADER_STRUCTURAL;

/** A match on the normalised text in its original case (class names are case-significant); same offsets as s.lower when lengths agree. */
/** "at java.io.FileInputStream.open0(Native Method)", "(FileInputStream.java:219)": a stack-trace frame in a ticket, not a reference. */
const STACK_FRAME_TAIL = /^\.[a-z_$<][\w$<>]{0,60}\((?:native method|unknown source|[\w$]{1,60}\.(?:java|kt|scala|groovy):\d{1,6})\)/i;
function notStackFrame(hit: Hit | null, text: string): Hit | null {
  return hit && STACK_FRAME_TAIL.test(text.slice(hit[1], hit[1] + 140)) ? null : hit;
}

function origHit(re: RegExp, s: Subject): Hit | null {
  return reHit(re, s.text);
}

export const JAVA_RULES: Rule[] = [
  {
    id: "java.jndi-lookup",
    family: "java",
    level: "basic",
    description: "Log4Shell ${jndi:…} after resolving nested/obfuscated lookups (${lower:j}, ${::-n}, ${env:X:-d})",
    targets: K_ALL,
    needs: C.DOLLAR,
    test: (s) => {
      if (!s.has(C.LBRACE)) return null;
      const r = jndiForm(s);
      const h = reHit(JNDI, r);
      return h ? [Math.min(h[0], s.lower.length), Math.min(h[1], s.lower.length)] : null;
    },
  },
  {
    id: "java.log4j-lookup",
    family: "java",
    level: "standard",
    description: "Other Log4j lookups used to exfiltrate or obfuscate (${env:…}, ${sys:…}, ${::-x})",
    targets: K_ALL,
    needs: C.DOLLAR,
    test: (s) => (s.has(C.LBRACE) ? reHit(LOG4J_LOOKUP, s.lower) : null),
  },
  {
    id: "java.serialized-object",
    family: "java",
    level: "basic",
    description: "Java serialization stream magic (base64 rO0AB, hex aced0005, raw AC ED 00 05)",
    targets: K_ALL,
    needs: C.DIGIT,
    test: (s) => {
      const b64 = s.text.indexOf("rO0AB");
      if (b64 >= 0) return [b64, b64 + 5];
      const hex = s.lower.indexOf("aced0005");
      if (hex >= 0 && reHit(SERIALIZED_B64, s.lower)) return [hex, hex + 8];
      return s.raw.indexOf("\u00ac\u00ed\u0000\u0005") >= 0 ? [0, 0] : null;
    },
  },
  {
    id: "java.gadget-class",
    family: "java",
    level: "basic",
    description: "Deserialization gadget classes (InvokerTransformer, TemplatesImpl, WhileClosure…)",
    targets: T,
    needs: 0,
    test: (s) => (s.lower.length >= 5 ? reHit(GADGETS, s.lower) : null),
  },
  {
    id: "java.runtime-class",
    family: "java",
    level: "basic",
    description: "Process and reflection classes (java.lang.Runtime, ProcessBuilder, Class.forName, ScriptEngine…)",
    targets: T,
    needs: C.DOT,
    test: (s) => reHit(RUNTIME_CLASS, s.lower),
  },
  {
    id: "java.runtime-keyword",
    family: "java",
    level: "standard",
    description: "A java./javax. reference together with Runtime or ProcessBuilder in the same value",
    targets: T,
    needs: C.DOT,
    test: (s) => reHit(JAVA_AND_PROCESS, s.lower),
  },
  {
    id: "java.expression-injection",
    family: "java",
    level: "basic",
    description: "OGNL / SpEL / EL expressions (%{#…}, #_memberAccess, T(java.lang…), ${''.getClass()})",
    targets: T,
    needs: C.HASH | C.AT | C.LPAREN | C.DOLLAR,
    test: (s) => reHit(EXPRESSION, s.lower),
  },
  {
    id: "java.class-loader",
    family: "java",
    level: "basic",
    description: "Class-loader manipulation (class.module.classLoader…, getClassLoader()) as in Spring4Shell/Struts",
    targets: T,
    needs: C.DOT | C.LBRACK,
    test: (s) => reHit(CLASS_LOADER, s.lower),
  },
  {
    id: "java.polymorphic-type",
    family: "java",
    level: "standard",
    description: 'Polymorphic deserialization type hints ("@type":"com.…", !!javax.…)',
    targets: T | K.BODY_RAW,
    needs: C.AT | C.BANG,
    test: (s) => reHit(POLYMORPHIC_TYPE, s.lower),
  },
  {
    id: "java.dangerous-class-name",
    family: "java",
    level: "standard",
    description:
      "Fully qualified class names in packages that reach files, processes, network, reflection, scripting, naming or deserialization (java.io.FileInputStream, javax.script.*, sun.misc.Unsafe…); exception types excluded",
    targets: K_INPUT | K.PATH,
    needs: C.DOT,
    test: (s) =>
      s.lower.indexOf("java") >= 0 ||
      s.lower.indexOf("sun.") >= 0 ||
      s.lower.indexOf("org.") >= 0 ||
      s.lower.indexOf("ch.qos") >= 0 ||
      s.lower.indexOf("groovy") >= 0
        ? notStackFrame(origHit(DANGEROUS_CLASS_NAME, s), s.text)
        : null,
  },
  {
    id: "java.xml-object-graph",
    family: "java",
    level: "standard",
    description: 'XStream / XMLDecoder object graphs: <java.util.PriorityQueue>, <dynamic-proxy>, <object class="java…">, <void method=…>',
    targets: K_INPUT,
    needs: C.LT,
    test: (s) => reHit(XML_OBJECT_GRAPH, s.lower),
  },
  {
    id: "java.class-name",
    family: "java",
    level: "strict",
    description: "Any java./javax. class or package reference (keyword rule)",
    targets: K_INPUT | K.PATH,
    needs: C.DOT,
    test: (s) => (s.lower.indexOf("java") >= 0 ? reHit(ANY_CLASS_NAME, s.lower) : null),
  },
  {
    id: "java.jsp-upload",
    family: "java",
    level: "standard",
    description: "Uploads of JSP files (.jsp, .jspx…, trailing dots and blanks ignored)",
    targets: K.FILENAME,
    needs: 0,
    test: (s) => (JSP_UPLOAD.test(filenameForm(s)) ? [0, s.lower.length] : null),
  },
];
