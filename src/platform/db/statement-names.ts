// Names for PostgreSQL prepared statements (PrismaPg `statementNameGenerator`). A named
// statement is parsed and planned once per connection and then only bound and executed, which
// saves PostgreSQL most of its work on the short, repeated statements an API sends (measured in
// bench/NOTES.md). The name is a hash of the SQL text, so the same text always gets the same
// name. Distinct texts are bounded: past `limit` of them, new texts go unnamed (parsed every
// time, as without this), so no connection collects prepared statements without end.
import { createHash } from 'node:crypto';

export function statementNames(limit: number): ((query: { sql: string }) => string | undefined) | undefined {
  if (limit <= 0) return undefined;
  const names = new Map<string, string>();
  return ({ sql }) => {
    const known = names.get(sql);
    if (known !== undefined) return known;
    if (names.size >= limit) return undefined;
    const name = `p_${createHash('sha1').update(sql).digest('base64url')}`;
    names.set(sql, name);
    return name;
  };
}
