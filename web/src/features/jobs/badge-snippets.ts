/** The URLs and snippets a job's status badge is embedded with (docs/api-spec.md#status-badges). */
export interface BadgeSnippets {
  svg: string;
  json: string;
  markdown: string;
  html: string;
}

const markdownText = (text: string) => text.replace(/([\\[\]])/g, '\\$1');

const htmlAttribute = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The job's badge on this server (`origin`), linked to its page in the dashboard: the Markdown
 * for a README and the HTML for a wiki or a wallboard, the job's name as the image's text.
 */
export function badgeSnippets(
  origin: string,
  badgeKey: string,
  job: { id: number; key: string; name: string },
): BadgeSnippets {
  const base = `${origin}/badge/${badgeKey}/${encodeURIComponent(job.key)}`;
  const page = `${origin}/jobs/${job.id}`;
  return {
    svg: `${base}.svg`,
    json: `${base}.json`,
    markdown: `[![${markdownText(job.name)}](${base}.svg)](${page})`,
    html: `<a href="${page}"><img src="${base}.svg" alt="${htmlAttribute(job.name)}"></a>`,
  };
}
