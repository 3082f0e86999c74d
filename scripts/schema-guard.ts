// Schema evolution guard (CI): compares schema.graphql with its previous version using
// @graphql-inspector/core and fails on a breaking change nobody acknowledged.
//
//   npm run schema:guard                     compare with the version before the last change
//   npm run schema:guard -- --base origin/main   compare with another revision (e.g. a merge base)
//
// Which previous version:
//   - schema.graphql has uncommitted edits: the committed one (HEAD);
//   - --base REV (or SCHEMA_GUARD_BASE): REV's;
//   - otherwise: the parent of the newest commit that changed schema.graphql (for a commit
//     that changes the schema this is `git show HEAD~1:schema.graphql`, and a later commit
//     that leaves the schema alone does not hide the change).
// No previous version (first commit, shallow clone, no git): passes, saying so.
//
// A breaking change is acknowledged by "[breaking-change-ok]" in the message of a commit that
// changed schema.graphql (in the compared range) or of HEAD, or by a line of
// `.schema-breaking-ok` equal to the change's path (e.g. `Query.orders`) or its message.
// Every change is printed with its criticality; dangerous ones are shown but do not fail.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

const SCHEMA = 'schema.graphql';
const ACK_FILE = '.schema-breaking-ok';
const MARKER = '[breaking-change-ok]';

function git(...args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

interface Previous {
  sdl: string;
  /** What was compared, for the log. */
  label: string;
  /** Commit messages that may acknowledge a breaking change. */
  messages: string[];
}

/** The schema to compare against, or a reason why there is none. */
function previousSchema(base: string | undefined): Previous | string {
  if (git('rev-parse', '--verify', '--quiet', 'HEAD') === null) return 'no git history';
  const head = git('show', `HEAD:${SCHEMA}`);
  const current = readFileSync(SCHEMA, 'utf8');
  const headMessage = git('log', '-1', '--format=%B', 'HEAD') ?? '';
  if (base) {
    const sdl = git('show', `${base}:${SCHEMA}`);
    if (sdl === null) return `${base} has no ${SCHEMA} (or is not a known revision)`;
    const messages = git('log', '--format=%B%x00', `${base}..HEAD`, '--', SCHEMA)?.split('\0') ?? [];
    return { sdl, label: `${base}:${SCHEMA}`, messages: [...messages, headMessage] };
  }
  if (head !== null && head !== current)
    return { sdl: head, label: `HEAD:${SCHEMA} (uncommitted changes)`, messages: [] };
  const changed = git('log', '-1', '--format=%H', '--', SCHEMA)?.trim();
  if (!changed) return `${SCHEMA} is not committed yet`;
  const sdl = git('show', `${changed}~1:${SCHEMA}`);
  if (sdl === null) return `commit ${changed.slice(0, 10)} added ${SCHEMA} (nothing before it, or a shallow clone)`;
  const message = git('log', '-1', '--format=%B', changed) ?? '';
  return {
    sdl,
    label: `${changed.slice(0, 10)}~1:${SCHEMA} (before the last commit that changed it)`,
    messages: [message, headMessage],
  };
}

function acknowledgedLines(): string[] {
  if (!existsSync(ACK_FILE)) return [];
  return readFileSync(ACK_FILE, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

const LABEL: Record<CriticalityLevel, string> = {
  [CriticalityLevel.Breaking]: 'BREAKING ',
  [CriticalityLevel.Dangerous]: 'DANGEROUS',
  [CriticalityLevel.NonBreaking]: 'safe     ',
};

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { base: { type: 'string' } } });
  const previous = previousSchema(values.base ?? process.env.SCHEMA_GUARD_BASE);
  if (typeof previous === 'string') {
    console.log(`schema guard: no previous schema to compare with (${previous}); passing.`);
    return 0;
  }
  const changes: Change[] = await diff(buildSchema(previous.sdl), buildSchema(readFileSync(SCHEMA, 'utf8')));
  console.log(
    `schema guard: ${SCHEMA} against ${previous.label}: ${changes.length} change${changes.length === 1 ? '' : 's'}`,
  );
  const byMessage = previous.messages.some((m) => m.includes(MARKER));
  const lines = acknowledgedLines();
  const used = new Set<string>();
  let unacknowledged = 0;
  for (const change of changes) {
    const level = change.criticality.level;
    let note = '';
    if (level === CriticalityLevel.Breaking) {
      const line = lines.find((l) => l === change.path || l === change.message);
      if (line) used.add(line);
      if (line) note = ` (acknowledged in ${ACK_FILE})`;
      else if (byMessage) note = ` (acknowledged by ${MARKER} in the commit message)`;
      else {
        note = ' (NOT acknowledged)';
        unacknowledged++;
      }
    }
    const reason = change.criticality.reason ? ` - ${change.criticality.reason}` : '';
    console.log(
      `  ${LABEL[level]} ${change.message}${change.path ? ` [${change.path}]` : ''}${note}${level === CriticalityLevel.NonBreaking ? '' : reason}`,
    );
  }
  for (const line of lines)
    if (!used.has(line)) console.log(`  note: ${ACK_FILE} line "${line}" matches no breaking change; remove it`);
  if (unacknowledged > 0) {
    console.error(
      `schema guard: ${unacknowledged} breaking change${unacknowledged === 1 ? '' : 's'} not acknowledged. Clients generated from the ` +
        `previous schema would break. Make the change additive (new field, deprecate the old one with a reason), or ` +
        `acknowledge it: put ${MARKER} in the commit message, or list the change's path in ${ACK_FILE}.`,
    );
    return 1;
  }
  console.log('schema guard: passed.');
  return 0;
}

process.exitCode = await main();
