// The portal benchmark's organisation at a realistic size: the demo organisation (its
// accounts, baseline and payments-api policy) grown to 50 teams, 1,000 applications,
// 10,000 policy versions and 100,000 audit events. Set-based SQL, seconds not minutes:
// rows are generated inside PostgreSQL, with the session's triggers off (replica role)
// because the versions are written in their final states at once, which the
// immutability trigger rightly refuses to an application. CHECK constraints still hold
// every row, so the data is what the portal itself could have written.
import pg from "pg";

export const SCALE = { teams: 50, applications: 1_000, policyVersions: 10_000, auditEvents: 100_000 } as const;
// Every fifth application policy has its newest version waiting for review (the approvals queue).
const VERSIONS_PER_POLICY = 10;

export async function seedPortalScale(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    const officer = await one<{ id: string }>(
      client,
      `SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.role = 'security-officer' ORDER BY u.email LIMIT 1`,
    );
    // Every seeded version carries the demo's published application policy: valid content, as the portal stored it.
    const template = await one<{ content: unknown; content_hash: string; source_text: string | null }>(
      client,
      `SELECT v.content, v.content_hash, v.source_text FROM policy_versions v JOIN policies p ON p.published_version_id = v.id WHERE p.kind = 'application' LIMIT 1`,
    );

    await client.query(
      `INSERT INTO teams (id, slug, name, description, updated_at)
       SELECT gen_random_uuid(), 'team-' || lpad(g::text, 2, '0'), 'Team ' || g, 'A benchmark team', now()
       FROM generate_series(1, $1::int - (SELECT count(*) FROM teams)::int) g`,
      [SCALE.teams],
    );
    // A lead and a developer in every team that has none: memberships to fold, as in life.
    await client.query(
      `INSERT INTO users (id, email, name, updated_at)
       SELECT gen_random_uuid(), r.role || '.' || t.slug || '@bench.local', initcap(r.role) || ' of ' || t.name, now()
       FROM teams t CROSS JOIN (VALUES ('lead'), ('developer')) r(role)
       WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.team_id = t.id)`,
    );
    await client.query(
      `INSERT INTO memberships (id, user_id, team_id, role)
       SELECT gen_random_uuid(), u.id, t.id, CASE WHEN u.email LIKE 'lead.%' THEN 'project-lead' ELSE 'developer' END
       FROM users u JOIN teams t ON u.email LIKE '%.' || t.slug || '@bench.local'`,
    );
    await client.query(
      `WITH t AS (SELECT id, slug, row_number() OVER (ORDER BY slug) - 1 AS i, count(*) OVER () AS n FROM teams)
       INSERT INTO applications (id, team_id, slug, name, description, exposure, upstream_url, created_at, updated_at)
       SELECT gen_random_uuid(), t.id, 'app-' || lpad(g::text, 4, '0'), 'Application ' || lpad(g::text, 4, '0'),
              'A benchmark application of ' || t.slug, (CASE WHEN g % 3 = 0 THEN 'internal' ELSE 'internet' END)::"Exposure",
              'https://app-' || g || '.internal.example', now() - g * interval '1 hour', now()
       FROM generate_series(1, $1::int - (SELECT count(*) FROM applications)::int) g JOIN t ON t.i = g % t.n`,
      [SCALE.applications],
    );

    // One policy for every application without one, ten versions each, ids chosen up front
    // so that parents and the published version can point at them.
    await client.query(
      `CREATE TEMP TABLE bench_policies ON COMMIT DROP AS
       SELECT gen_random_uuid() AS id, a.id AS application_id, a.slug, row_number() OVER (ORDER BY a.slug) AS rn
       FROM applications a WHERE NOT EXISTS (SELECT 1 FROM policies p WHERE p.application_id = a.id)`,
    );
    const versionsLeft = SCALE.policyVersions - Number((await one<{ n: string }>(client, "SELECT count(*) AS n FROM policy_versions")).n);
    await client.query(
      `CREATE TEMP TABLE bench_versions ON COMMIT DROP AS
       SELECT gen_random_uuid() AS id, p.id AS policy_id, v AS number, p.rn,
              CASE WHEN p.rn % 5 = 0 AND v = $1 THEN 'submitted'
                   WHEN v = $1 OR (p.rn % 5 = 0 AND v = $1 - 1) THEN 'published'
                   ELSE 'superseded' END AS state,
              now() - (p.rn * interval '1 minute') - (($1 - v) * interval '1 day') AS at
       FROM (SELECT * FROM bench_policies ORDER BY rn LIMIT $2::int / $1) p CROSS JOIN generate_series(1, $1) v`,
      [VERSIONS_PER_POLICY, versionsLeft],
    );
    await client.query(
      `INSERT INTO policies (id, kind, scope, name, application_id, published_version_id, created_at, updated_at)
       SELECT p.id, 'application', 'application:' || p.application_id, p.slug, p.application_id,
              (SELECT v.id FROM bench_versions v WHERE v.policy_id = p.id AND v.state = 'published'), now() - interval '30 days', now()
       FROM bench_policies p WHERE EXISTS (SELECT 1 FROM bench_versions v WHERE v.policy_id = p.id)`,
    );
    await client.query(
      `INSERT INTO policy_versions (id, policy_id, number, state, content, content_hash, source_text, note, author_id, parent_id,
                                    submitted_at, submitted_by_id, reviewed_at, reviewed_by_id, published_at, published_by_id,
                                    superseded_at, submission_summary, created_at, updated_at)
       SELECT v.id, v.policy_id, v.number, v.state::"PolicyVersionState", $2::jsonb, $3, $4, 'Version ' || v.number, $1,
              lag(v.id) OVER (PARTITION BY v.policy_id ORDER BY v.number),
              v.at, $1,
              CASE WHEN v.state <> 'submitted' THEN v.at + interval '1 hour' END, CASE WHEN v.state <> 'submitted' THEN $1::uuid END,
              CASE WHEN v.state <> 'submitted' THEN v.at + interval '2 hours' END, CASE WHEN v.state <> 'submitted' THEN $1::uuid END,
              CASE WHEN v.state = 'superseded' THEN v.at + interval '1 day' END,
              'Benchmark change ' || v.number, v.at - interval '1 hour', v.at
       FROM bench_versions v`,
      [officer.id, JSON.stringify(template.content), template.content_hash, template.source_text],
    );

    const actions = [
      "application.create",
      "application.update",
      "policy.version.create",
      "policy.version.submit",
      "policy.version.approve",
      "policy.version.publish",
      "auth.login",
      "token.create",
    ];
    await client.query(
      `WITH a AS (SELECT id, team_id, row_number() OVER (ORDER BY slug) - 1 AS i, count(*) OVER () AS n FROM applications),
            u AS (SELECT id, email, row_number() OVER (ORDER BY email) - 1 AS i, count(*) OVER () AS n FROM users)
       INSERT INTO audit_events (id, actor_id, actor_label, action, outcome, target_type, target_id, team_id, summary, ip, created_at)
       SELECT gen_random_uuid(), u.id, u.email, ($2::text[])[1 + g % array_length($2::text[], 1)],
              CASE WHEN g % 50 = 0 THEN 'denied' ELSE 'success' END, 'application', a.id::text, a.team_id,
              jsonb_build_object('note', 'benchmark event ' || g), '10.0.' || (g % 250) || '.' || (g % 200), now() - g * interval '20 seconds'
       FROM generate_series(1, $1::int - (SELECT count(*) FROM audit_events)::int) g
       JOIN a ON a.i = g % a.n JOIN u ON u.i = g % u.n`,
      [SCALE.auditEvents, actions],
    );
    await client.query("COMMIT");
    await client.query("ANALYZE");
    const counts = await one<Record<string, string>>(
      client,
      `SELECT (SELECT count(*) FROM teams) AS teams, (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM applications) AS applications,
              (SELECT count(*) FROM policies) AS policies, (SELECT count(*) FROM policy_versions) AS "policyVersions",
              (SELECT count(*) FROM policy_versions WHERE state = 'submitted') AS "pendingApprovals", (SELECT count(*) FROM audit_events) AS "auditEvents"`,
    );
    return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]));
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

async function one<T extends pg.QueryResultRow>(client: pg.Client, sql: string): Promise<T> {
  const { rows } = await client.query<T>(sql);
  if (!rows[0]) throw new Error(`seedPortalScale: no row for ${sql.slice(0, 60)}…`);
  return rows[0];
}
