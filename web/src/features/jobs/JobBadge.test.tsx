import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { sampleJob } from '../../../../test/web/sample-job';
import { renderInSession } from '../../../../test/web/session';
import { badgeSnippets } from './badge-snippets';
import { BadgeSection, JobBadge } from './JobBadge';

const KEY = '9c1e0b7a4d2f4e6a8b0c1d2e3f405162';

describe('badgeSnippets', () => {
  it('links the badge to the job page, the name escaped for Markdown and HTML', () => {
    const snippets = badgeSnippets('https://ct.example.com', KEY, {
      id: 12,
      key: 'etl',
      name: 'ETL [eu] <"a" & b>',
    });
    expect(snippets.svg).toBe(`https://ct.example.com/badge/${KEY}/etl.svg`);
    expect(snippets.json).toBe(`https://ct.example.com/badge/${KEY}/etl.json`);
    expect(snippets.markdown).toBe(
      `[![ETL \\[eu\\] <"a" & b>](https://ct.example.com/badge/${KEY}/etl.svg)](https://ct.example.com/jobs/12)`,
    );
    expect(snippets.html).toBe(
      `<a href="https://ct.example.com/jobs/12"><img src="https://ct.example.com/badge/${KEY}/etl.svg" alt="ETL [eu] &lt;&quot;a&quot; &amp; b&gt;"></a>`,
    );
  });
});

describe('the job page badge section', () => {
  const job = sampleJob();
  const props = {
    job,
    pending: false,
    confirming: false,
    onConfirm: () => {},
    onRotate: () => {},
  };

  it('gives the Markdown and HTML to copy, with a preview', () => {
    const writeText = vi.fn(async () => {});
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as never);
    render(<BadgeSection {...props} badgeKey={KEY} />);
    const markdown = screen.getByLabelText('Badge Markdown').textContent!;
    expect(markdown).toContain(`${window.location.origin}/badge/${KEY}/${job.key}.svg`);
    expect(screen.getByLabelText('Badge HTML').textContent).toContain(`<img src=`);
    expect(screen.getByRole('img', { name: `Status badge of ${job.name}` })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Copy Markdown' }));
    expect(writeText).toHaveBeenCalledWith(markdown);
  });

  it('asks before rotating, and offers to turn badges on when they are off', () => {
    const onConfirm = vi.fn();
    const { rerender } = render(<BadgeSection {...props} badgeKey={KEY} onConfirm={onConfirm} />);
    fireEvent.click(screen.getByRole('button', { name: 'Rotate badge key…' }));
    expect(onConfirm).toHaveBeenCalledWith(true);
    const onRotate = vi.fn();
    rerender(<BadgeSection {...props} badgeKey={KEY} confirming onRotate={onRotate} />);
    expect(screen.getByRole('alert').textContent).toContain('stops working');
    fireEvent.click(screen.getByRole('button', { name: 'Rotate badge key' }));
    expect(onRotate).toHaveBeenCalled();
    rerender(<BadgeSection {...props} badgeKey={null} />);
    expect(screen.queryByLabelText('Badge Markdown')).toBeNull();
    expect(screen.getByRole('button', { name: 'Turn on badges' })).toBeTruthy();
  });

  it('tells a key below admin who can see the badge, and shows no snippet', () => {
    renderInSession(<JobBadge job={job} />, 'write');
    expect(screen.getByText(/An admin key shows this job's status badge here/)).toBeTruthy();
    expect(screen.queryByLabelText('Badge Markdown')).toBeNull();
  });
});
