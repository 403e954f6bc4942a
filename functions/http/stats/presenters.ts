import { isoTime } from '../../../shared/iso-time.js';
import type { JobStats } from '../../../shared/services/run-service.js';
import { runJson } from '../runs/presenters.js';
import type { JobStatsJson } from './schemas.js';

export const statsJson = (stats: JobStats): JobStatsJson => ({
  ...stats,
  from: isoTime(stats.from),
  to: isoTime(stats.to),
  lastRun: stats.lastRun && runJson(stats.lastRun),
  lastSuccess: stats.lastSuccess && runJson(stats.lastSuccess),
  lastFailure: stats.lastFailure && runJson(stats.lastFailure),
});
