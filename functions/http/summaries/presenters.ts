import type { z } from 'zod';
import type { Scope } from '../../../shared/access.js';
import type { PublicLinks } from '../../../shared/links.js';
import { isoTime } from '../../../shared/iso-time.js';
import type { JobSummaryPage } from '../../../shared/services/job-summary-service.js';
import { jobJson } from '../jobs/presenters.js';
import type { JobSummaryPageSchema } from './schemas.js';

export const summaryPageJson = (
  page: JobSummaryPage,
  scope: Scope,
  links: PublicLinks,
): z.infer<typeof JobSummaryPageSchema> => ({
  from: isoTime(page.from),
  to: isoTime(page.to),
  data: page.data.map((summary) => ({
    job: jobJson(summary.job, scope, page.to, links),
    recentRuns: summary.recentRuns.map((run) => ({
      id: run.id,
      status: run.status,
      createdAt: isoTime(run.createdAt),
      durationMs: run.durationMs,
    })),
    stats: summary.stats,
  })),
  nextCursor: page.nextCursor,
});
