import { badInput } from '../src/domain/errors.ts';
import type { ReportContext } from '../src/ingest/index.ts';

/** Where an uploaded report belongs, as a mutation, the upload endpoint or the CLI gives it. */
export interface ReportPlacement {
  readonly project: string;
  readonly branch?: string | null | undefined;
  readonly commit?: string | null | undefined;
  readonly runId?: string | null | undefined;
  readonly startedAt?: Date | null | undefined;
  readonly tags?: unknown;
}

const text = (v: string | null | undefined): string | null => (v?.trim() ? v.trim() : null);

/**
 * Checks the placement of a report and turns it into the parsers' context. A
 * report that carries no timestamp starts its run at `now` (the upload).
 */
export function reportContext(p: ReportPlacement, now: Date): ReportContext {
  const project = text(p.project);
  if (!project)
    throw badInput('project is required: the project the report belongs to, e.g. "web"', {
      field: 'project',
    });
  let tags: Record<string, string> = {};
  if (p.tags !== null && p.tags !== undefined) {
    if (
      typeof p.tags !== 'object' ||
      Array.isArray(p.tags) ||
      !Object.values(p.tags).every((v) => typeof v === 'string')
    ) {
      throw badInput('tags must be an object of string keys to string values, e.g. {"ci": "github"}', {
        field: 'tags',
      });
    }
    tags = p.tags as Record<string, string>;
  }
  return {
    project,
    branch: text(p.branch),
    commit: text(p.commit),
    runId: text(p.runId),
    startedAt: p.startedAt ?? now,
    tags,
  };
}

/** Run tags given as `key=value` (or `key:value`) arguments, trimmed: `--tag ci=github`, `?tag=ci=github`. */
export function parseTagArgs(args: readonly string[], field = 'tag'): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of args) {
    const m = /^([^=:]+)[=:](.*)$/.exec(t);
    if (!m || !m[1]!.trim()) throw badInput(`${field} "${t}" must be key=value, e.g. ci=github`, { field });
    tags[m[1]!.trim()] = m[2]!.trim();
  }
  return tags;
}
