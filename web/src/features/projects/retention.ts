import type { ProjectDetail } from '../../api/client';

/** What a project keeps, in words: "finished runs for 90 days (this project's setting)". */
export function retentionText(
  project: Pick<ProjectDetail, 'retentionDays' | 'effectiveRetentionDays'>,
): string {
  const days = project.effectiveRetentionDays;
  const kept =
    days === 0 ? 'every run' : `finished runs for ${days} ${days === 1 ? 'day' : 'days'}`;
  const source = project.retentionDays === null ? "the server's default" : "this project's setting";
  return `Keeps ${kept} (${source})`;
}
