import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { StatusBadge } from './StatusBadge';

describe('StatusBadge', () => {
  it('names every status in words, with an icon hidden from screen readers', () => {
    const { container } = render(
      <>
        <StatusBadge status="PENDING" />
        <StatusBadge status="RUNNING" />
        <StatusBadge status="SUCCESS" />
        <StatusBadge status="FAILED" />
        <StatusBadge status="CANCELLED" />
      </>,
    );
    for (const word of ['Pending', 'Running', 'Success', 'Failed', 'Cancelled'])
      expect(screen.getByText(word, { exact: false })).toBeTruthy();
    const icons = container.querySelectorAll('[aria-hidden="true"]');
    expect([...icons].map((icon) => icon.textContent)).toEqual(['○', '◔', '✓', '✕', '⊘']);
    expect(container.querySelector('[data-status="FAILED"]')?.className).toContain('badge-failed');
  });

  it('says so when a job has no run', () => {
    render(<StatusBadge status={null} />);
    expect(screen.getByText('No runs', { exact: false })).toBeTruthy();
  });
});
