import { badInput } from '../domain/errors.ts';
import type { IngestRunInput } from '../domain/types.ts';
import { TagBag } from './fields.ts';
import type { ReportContext } from './report-context.ts';
import type { RunPlacement } from './source.ts';
import type { Warnings } from './warnings.ts';

/** What a report says about its run; the context fills gaps and wins where both speak. */
export interface ReportRunFacts {
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  /** How long the run took, when the report gives a duration but no end time. */
  readonly durationMs?: number | null;
  readonly branch: string | null;
  readonly commit: string | null;
  /** Tags read from the report, most important first. */
  readonly tags: readonly (readonly [string, string])[];
}

export function requireProject(ctx: ReportContext): string {
  const project = typeof ctx.project === 'string' ? ctx.project.trim() : '';
  if (project === '') throw badInput('ReportContext.project is required: the project the report belongs to');
  return project;
}

/**
 * The run of a report. Start: the report's earliest timestamp, else
 * `ctx.startedAt`; a report with neither is refused (a made-up "now" would
 * make re-uploads disagree). Finish: the report's, if not before the start.
 */
export function buildRun(
  ctx: ReportContext,
  deriveId: (placement: RunPlacement) => string,
  facts: ReportRunFacts,
  warnings: Warnings,
  fileName: string,
): IngestRunInput {
  const startedAt = facts.startedAt ?? ctx.startedAt ?? null;
  if (startedAt === null || Number.isNaN(startedAt.getTime())) {
    throw badInput(
      `${fileName}: the report carries no timestamp; pass the run's start (ReportContext.startedAt, e.g. the upload time)`,
    );
  }
  let finishedAt =
    facts.finishedAt ?? (facts.durationMs ? new Date(startedAt.getTime() + facts.durationMs) : null);
  if (finishedAt !== null && finishedAt < startedAt) {
    warnings.add(
      'finish-before-start',
      `the report's end ${finishedAt.toISOString()} is before its start ${startedAt.toISOString()}; the run has no finish time`,
    );
    finishedAt = null;
  }
  const tags = new TagBag(warnings, 'the run');
  for (const [k, v] of Object.entries(ctx.tags ?? {})) tags.set(k, v);
  for (const [k, v] of facts.tags) tags.set(k, v, false);
  const branch = ctx.branch?.trim() || facts.branch;
  const commit = ctx.commit?.trim() || facts.commit;
  return {
    id: ctx.runId?.trim() || deriveId({ branch, commit }),
    project: requireProject(ctx),
    branch,
    commit,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt?.toISOString() ?? null,
    tags: tags.toObject(),
  };
}
