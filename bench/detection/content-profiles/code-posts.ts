// A corpus of realistic code-carrying posts for forum, ticketing and code-review
// endpoints, built in the repo (not ../shared/corpora). Sources: the snippets
// below are written for this corpus in the style of what developers paste
// into such tools — shell sessions and scripts (deploys, cron, diagnostics),
// SQL (migrations, slow queries, ad-hoc reports), configuration (nginx, YAML
// for Kubernetes/CI, Dockerfiles, .env and ini files), and code in the
// languages such posts discuss (Python, JavaScript, Java, PHP, Go), each
// fenced, inline, or indented as markdown allows. Prose frames are typical
// questions, bug reports and review remarks. Every combination is
// deterministic, so the figures are repeatable; 600 posts by default.

/** Each snippet with its source: "<kind>.<what>", the unit the tuned / held-back split is made of. */
export const SNIPPETS: Array<{ source: string; text: string }> = [
  { source: "shell.systemctl-restart", text: "```bash\nsudo systemctl restart nginx && tail -n 50 /var/log/nginx/error.log\n```" },
  { source: "shell.find-exec-rm", text: "```sh\nfind . -name '*.log' -mtime +7 -exec rm {} \\;\n```" },
  { source: "shell.deploy-script", text: "```bash\n#!/bin/bash\nset -euo pipefail\ncd /srv/app && git pull && npm ci && pm2 reload all\n```" },
  { source: "shell.curl-jq", text: "```bash\ncurl -s https://api.example.com/v1/items | jq '.[] | select(.price > 10)'\n```" },
  { source: "shell.console-os-release", text: "```console\n$ cat /etc/os-release\n$ uname -a\nLinux web-01 6.1.0-18-amd64 #1 SMP x86_64 GNU/Linux\n```" },
  { source: "shell.psql-copy-loop", text: "```bash\nfor f in $(ls *.csv); do psql -c \"\\copy staging FROM '$f' CSV HEADER\"; done\n```" },
  { source: "shell.env-migrate", text: "```bash\nexport DATABASE_URL=postgres://app:secret@db:5432/app; ./manage.py migrate\n```" },
  { source: "shell.nc-check", text: "```sh\nnc -zv db.internal 5432 || echo 'db unreachable' >&2\n```" },
  { source: "shell.ssh-restart", text: "```bash\nssh deploy@10.0.3.4 'cd /opt/app && ./bin/restart.sh' | tee -a ~/deploy.log\n```" },
  {
    source: "sql.report-join",
    text: "```sql\nSELECT u.id, u.email, count(o.id) AS orders\nFROM users u LEFT JOIN orders o ON o.user_id = u.id\nWHERE u.created_at > now() - interval '30 days'\nGROUP BY u.id HAVING count(o.id) > 5 ORDER BY orders DESC;\n```",
  },
  {
    source: "sql.alter-update",
    text: "```sql\nALTER TABLE payments ADD COLUMN refunded_at timestamptz;\nUPDATE payments SET status = 'refunded' WHERE id IN (SELECT payment_id FROM refunds);\n```",
  },
  { source: "sql.union-select", text: "```sql\nSELECT name FROM products WHERE sku = 'A-1' UNION SELECT name FROM archived_products WHERE sku = 'A-1';\n```" },
  { source: "sql.drop-create-index", text: "```sql\nDROP INDEX IF EXISTS idx_orders_user; CREATE INDEX CONCURRENTLY idx_orders_user ON orders(user_id);\n```" },
  { source: "sql.information-schema", text: "```sql\nSELECT * FROM information_schema.columns WHERE table_name = 'orders';\n```" },
  { source: "sql.insert-comment", text: "```sql\nINSERT INTO audit_log (actor, action) VALUES ('admin', 'login'); -- this is the only write\n```" },
  {
    source: "sql.inline-sleep-or",
    text: "Running `SELECT pg_sleep(5);` shows the timeout kicks in at 3 s, and `WHERE a = 1 OR 1 = 1` returns everything as expected.",
  },
  {
    source: "config.nginx-location",
    text: "```nginx\nlocation /api/ {\n  proxy_pass http://127.0.0.1:8080;\n  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n}\n```",
  },
  {
    source: "config.k8s-deployment",
    text: '```yaml\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:${TAG}\n          command: ["/bin/sh", "-c", "./start.sh"]\n```',
  },
  {
    source: "config.ci-workflow",
    text: "```yaml\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci && npm test\n      - run: cat ./coverage/lcov.info | npx coveralls\n```",
  },
  {
    source: "config.dockerfile",
    text: '```dockerfile\nFROM node:20-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCOPY . /app\nCMD ["node", "/app/server.js"]\n```',
  },
  { source: "config.ini", text: "```ini\n[database]\nhost = 127.0.0.1\npath = ../data/app.db\n```" },
  { source: "config.dotenv", text: "```\n# .env\nREDIS_URL=redis://localhost:6379/0\nUPLOAD_DIR=/var/lib/app/uploads\n```" },
  {
    source: "code.python-subprocess",
    text: "```python\nimport subprocess\nout = subprocess.run(['ls', '-la', '/tmp'], capture_output=True)\nprint(out.stdout.decode())\n```",
  },
  { source: "code.python-execute", text: '```python\ncur.execute("SELECT * FROM users WHERE id = %s", (user_id,))\n```' },
  { source: "code.js-exec", text: "```js\nconst { exec } = require('child_process');\nexec('git rev-parse HEAD', (err, out) => console.log(out));\n```" },
  { source: "code.js-innerhtml", text: "```js\nel.innerHTML = marked.parse(text); // is this safe? we sanitize after\n```" },
  { source: "code.java-runtime-exec", text: '```java\nProcess p = Runtime.getRuntime().exec(new String[]{"git", "status"});\n```' },
  { source: "code.php-pdo", text: "```php\n<?php\n$rows = $pdo->query('SELECT * FROM posts')->fetchAll();\necho json_encode($rows);\n```" },
  { source: "code.go-exec", text: '```go\nout, err := exec.Command("sh", "-c", "df -h /").Output()\n```' },
  { source: "code.html-script", text: '```html\n<script src="/static/app.js"></script>\n<div onclick="toggle()">menu</div>\n```' },
  { source: "prose.relative-paths", text: "The path is `../../etc/app/config.yml` relative to the binary, and `/etc/passwd` is only readable as root anyway." },
  { source: "shell.indented-ps", text: "    $ ps aux | grep java\n    app  1234  java -jar /opt/app.jar" },
  {
    source: "config.maven-log4j",
    text: "```xml\n<dependency>\n  <groupId>org.apache.logging.log4j</groupId>\n  <artifactId>log4j-core</artifactId>\n  <version>2.17.1</version>\n</dependency>\n```",
  },
  { source: "shell.wget-pipe-bash", text: "```bash\nwget -qO- https://get.example.sh | bash -s -- --version 1.4\n```" },
];

const FRAMES: Array<(snippet: string, n: number) => string> = [
  (s) => `I'm seeing this after upgrading:\n\n${s}\n\nAny idea what changed?`,
  (s, n) => `### Steps to reproduce\n\n1. Deploy build #${n}\n2. Run the following\n\n${s}\n\n**Expected:** it works. **Actual:** it hangs.`,
  (s) => `Nit: this could be simpler.\n\n${s}\n\nOtherwise LGTM 👍`,
  (s) => `Workaround until the fix ships:\n\n${s}`,
  (s, n) =>
    `> ${n % 2 === 0 ? "Why does" : "How come"} this fail?\n\nBecause of this line:\n\n${s}\n\nSee [the docs](https://docs.example.com/guide#section-${n}).`,
  (s) => `Posting the full output in case it helps:\n\n${s}\n\n_Edit:_ fixed by restarting the worker.`,
  (s) => `Could you check whether this is still needed?\n\n${s}\n\n- [ ] remove after migration\n- [x] tested on staging`,
  (s, n) => `Ticket #${n}: customer reports errors. Logs attached below.\n\n${s}\n\n![screenshot](https://cdn.example.com/shots/${n}.png)`,
];

export interface CorpusPost {
  /** Which endpoint and field it is sent to. */
  endpoint: "thread-post" | "ticket-comment" | "review-comment";
  text: string;
  /** The snippets' sources (one, or two for a longer report). */
  sources: string[];
}

export function codePosts(count = 600): CorpusPost[] {
  const endpoints: CorpusPost["endpoint"][] = ["thread-post", "ticket-comment", "review-comment"];
  const out: CorpusPost[] = [];
  for (let i = 0; i < count; i++) {
    const a = SNIPPETS[i % SNIPPETS.length]!;
    const b = SNIPPETS[(i * 7 + 3) % SNIPPETS.length]!;
    const frame = FRAMES[Math.floor(i / SNIPPETS.length) % FRAMES.length]!;
    // Every third post carries two snippets, as longer reports do.
    const text = frame(i % 3 === 0 ? `${a.text}\n\nand\n\n${b.text}` : a.text, i + 1);
    out.push({ endpoint: endpoints[i % endpoints.length]!, text, sources: i % 3 === 0 ? [a.source, b.source] : [a.source] });
  }
  return out;
}
