// Seeds the approval-queue benchmark in bulk SQL: a published baseline, `pending`
// applications across `teams`, each with a published policy version 1 and a submitted
// version 2 (a third of them adding an exception, so diffs and risk flags are real),
// submitted at spread-out times by `authors` different people.
import { computeRiskFlags } from "@/lib/approvals/compute-risk-flags";
import type { Db } from "@/lib/db/client";
import { parsePolicyDocument, API_VERSION, type PolicyDocument } from "@/lib/policy-spec";
import { policyContentHash } from "@/lib/policies/policy-content-hash";
import { createTeam, createUser } from "@/prisma/factories";

const PLACEHOLDER = "bench-slug-placeholder";

function normalized(document: Record<string, unknown>): PolicyDocument {
  const parsed = parsePolicyDocument(document);
  if (!parsed.ok) throw new Error(`invalid bench document: ${JSON.stringify(parsed.errors)}`);
  return parsed.policy;
}

function applicationDocument(sections: Record<string, unknown>) {
  return normalized({ apiVersion: API_VERSION, kind: "ApplicationPolicy", metadata: { application: PLACEHOLDER, applicationVersion: "1.0.0" }, ...sections });
}

export async function seed(db: Db, { pending, teams, authors }: { pending: number; teams: number; authors: number }) {
  const officer = await createUser(db, { name: "Bench Officer" });
  const teamIds: string[] = [];
  for (let i = 0; i < teams; i += 1) teamIds.push((await createTeam(db, { slug: `bench-team-${i}` })).id);
  await db.membership.create({ data: { userId: officer.id, teamId: teamIds[0]!, role: "security-officer" } });
  const authorIds: string[] = [];
  for (let i = 0; i < authors; i += 1) {
    authorIds.push((await createUser(db, { name: `Author ${i}`, memberships: [{ teamId: teamIds[i % teams]!, role: "developer" }] })).id);
  }

  const baseline = normalized({ apiVersion: API_VERSION, kind: "BaselinePolicy", metadata: { name: "standard" } });
  const published = applicationDocument({ limits: { maxBodyBytes: 4096 } });
  const plain = applicationDocument({ limits: { maxBodyBytes: 2048 } });
  const expires = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  const withException = applicationDocument({
    limits: { maxBodyBytes: 2048 },
    exceptions: [
      {
        id: "search-free-text",
        family: "sqli",
        part: "parameter",
        name: "q",
        conditions: { paths: ["/search"], methods: ["GET"] },
        justification: "Free-text search takes quotes and SQL keywords by design.",
        expires,
      },
    ],
  });
  const flags = computeRiskFlags({ before: published, after: withException, exposure: "internal", now: new Date() });

  await db.$executeRawUnsafe(
    `WITH p AS (
       INSERT INTO policies (id, kind, scope, name, updated_at) VALUES (gen_random_uuid(), 'baseline', 'baseline', 'standard', now()) RETURNING id
     ), v AS (
       INSERT INTO policy_versions (id, policy_id, number, content, content_hash, author_id, updated_at)
       SELECT gen_random_uuid(), p.id, 1, $1::jsonb, $2, $3::uuid, now() FROM p RETURNING id, policy_id
     )
     UPDATE policies SET published_version_id = NULL FROM v WHERE policies.id = v.policy_id`,
    JSON.stringify(baseline),
    policyContentHash(baseline),
    officer.id,
  );
  await db.$executeRawUnsafe(
    `UPDATE policy_versions SET state = 'published', submitted_at = now() - interval '60 days', submitted_by_id = author_id,
       reviewed_at = now() - interval '60 days', reviewed_by_id = author_id, published_at = now() - interval '60 days', published_by_id = author_id`,
  );
  await db.$executeRawUnsafe(`UPDATE policies SET published_version_id = v.id FROM policy_versions v WHERE v.policy_id = policies.id`);

  await db.$executeRawUnsafe(
    `INSERT INTO applications (id, team_id, slug, name, exposure, upstream_url, updated_at)
     SELECT gen_random_uuid(), ($1::uuid[])[1 + i % $2], 'bench-app-' || i, 'Bench application ' || i, 'internal', 'http://10.0.0.1:8080', now()
     FROM generate_series(1, $3) AS i`,
    teamIds,
    teams,
    pending,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO policies (id, kind, scope, name, application_id, updated_at)
     SELECT gen_random_uuid(), 'application', 'application:' || a.id, a.slug, a.id, now() FROM applications a`,
  );
  // Version 1, published 30–60 days ago.
  await db.$executeRawUnsafe(
    `INSERT INTO policy_versions (id, policy_id, number, content, content_hash, author_id, updated_at)
     SELECT gen_random_uuid(), p.id, 1, replace($1, '${PLACEHOLDER}', p.name)::jsonb, $2, ($3::uuid[])[1 + abs(hashtext(p.id::text)) % $4], now()
     FROM policies p WHERE p.kind = 'application'`,
    JSON.stringify(published),
    policyContentHash(published),
    authorIds,
    authors,
  );
  await db.$executeRawUnsafe(
    `UPDATE policy_versions SET state = 'published', submitted_at = now() - interval '45 days', submitted_by_id = author_id,
       reviewed_at = now() - interval '40 days', reviewed_by_id = $1::uuid, published_at = now() - interval '40 days', published_by_id = $1::uuid
     WHERE state = 'draft'`,
    officer.id,
  );
  await db.$executeRawUnsafe(
    `UPDATE policies SET published_version_id = v.id FROM policy_versions v WHERE v.policy_id = policies.id AND policies.kind = 'application'`,
  );
  // Version 2, submitted within the last 30 days; every third adds an exception.
  await db.$executeRawUnsafe(
    `INSERT INTO policy_versions (id, policy_id, number, content, content_hash, author_id, parent_id, updated_at)
     SELECT gen_random_uuid(), v.policy_id, 2,
            replace(CASE WHEN abs(hashtext(v.id::text)) % 3 = 0 THEN $1 ELSE $2 END, '${PLACEHOLDER}', p.name)::jsonb,
            CASE WHEN abs(hashtext(v.id::text)) % 3 = 0 THEN $3 ELSE $4 END,
            v.author_id, v.id, now()
     FROM policy_versions v JOIN policies p ON p.id = v.policy_id WHERE p.kind = 'application'`,
    JSON.stringify(withException),
    JSON.stringify(plain),
    policyContentHash(withException),
    policyContentHash(plain),
  );
  await db.$executeRawUnsafe(
    `UPDATE policy_versions SET state = 'submitted', submitted_at = now() - random() * interval '30 days', submitted_by_id = author_id,
       submission_summary = 'Smaller request bodies',
       risk_flags = CASE WHEN content ? 'exceptions' THEN $1::jsonb ELSE '[]'::jsonb END,
       risk_count = CASE WHEN content ? 'exceptions' THEN $2::int ELSE 0 END
     WHERE state = 'draft'`,
    JSON.stringify(flags),
    flags.length,
  );
  await db.$executeRawUnsafe("ANALYZE");
  return { officerId: officer.id, teamId: teamIds[1]! };
}
