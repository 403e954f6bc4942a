import { eq, inArray, sql } from 'drizzle-orm';
import type { ProjectDeletionSteps } from '../shared/repositories.js';
import type { Database, Writes } from './database.js';
import { apiKeys, jobs, projects, webhooks } from './schema.js';

/**
 * Deleting a project in short statements (shared/services/project-service.ts orders them): runs by
 * primary key through `id IN (... LIMIT n)`, found by jobs_project_idx and
 * job_runs_job_created_idx; then its jobs (job_metrics and any run created meanwhile go by ON
 * DELETE CASCADE), its keys, and last its row, so a deletion cut short is found and finished by
 * running it again.
 */
export class DrizzleProjectDeletion implements ProjectDeletionSteps {
  private readonly writes: Writes;

  constructor(database: Pick<Database, 'writes'>) {
    this.writes = database.writes;
  }

  async deleteHooks(projectId: number): Promise<{ webhooks: number; channels: number }> {
    const ofItsJobs = this.writes.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(eq(jobs.projectId, projectId));
    const rows = await this.writes.run(() =>
      this.writes.db
        .delete(webhooks)
        .where(sql`${webhooks.projectId} = ${projectId} OR ${webhooks.jobId} IN ${ofItsJobs}`)
        .returning({ type: webhooks.type })
        .all(),
    );
    const plain = rows.filter((row) => row.type === 'webhook').length;
    return { webhooks: plain, channels: rows.length - plain };
  }

  async deleteRuns(projectId: number, limit: number): Promise<number> {
    const rows = await this.writes.run(() =>
      this.writes.db.all<{ id: number }>(sql`
        DELETE FROM job_runs WHERE id IN (
          SELECT r.id FROM jobs j CROSS JOIN job_runs r ON r.job_id = j.id
          WHERE j.project_id = ${projectId}
          LIMIT ${sql.raw(String(Math.max(1, Math.trunc(limit))))}
        ) RETURNING id`),
    );
    return rows.length;
  }

  async deleteJobs(projectId: number, limit: number): Promise<number> {
    const batch = this.writes.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(eq(jobs.projectId, projectId))
      .limit(limit);
    const rows = await this.writes.run(() =>
      this.writes.db.delete(jobs).where(inArray(jobs.id, batch)).returning({ id: jobs.id }).all(),
    );
    return rows.length;
  }

  async deleteKeys(projectId: number): Promise<number> {
    const rows = await this.writes.run(() =>
      this.writes.db
        .delete(apiKeys)
        .where(eq(apiKeys.projectId, projectId))
        .returning({ id: apiKeys.id })
        .all(),
    );
    return rows.length;
  }

  async deleteProject(projectId: number): Promise<boolean> {
    const rows = await this.writes.run(() =>
      this.writes.db
        .delete(projects)
        .where(eq(projects.id, projectId))
        .returning({ id: projects.id })
        .all(),
    );
    return rows.length > 0;
  }
}
