import { act, fireEvent, render, screen } from '@testing-library/react';
import { useCallback } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useSearchParams } from '../../app/router';
import { JobFilters } from './JobFilters';

/** The filters wired to the URL the way JobsPage wires them. */
function Harness() {
  const [search, setSearch] = useSearchParams();
  const onChange = useCallback(
    (changes: Record<string, string | undefined>) => {
      const { projectId, ...rest } = changes;
      setSearch({ ...rest, ...('projectId' in changes ? { project: projectId } : {}) });
    },
    [setSearch],
  );
  return (
    <JobFilters
      filters={{
        q: search.get('q') ?? undefined,
        type: search.get('type') ?? undefined,
        projectId: search.get('project') ?? undefined,
        archived: search.get('archived') === 'all' ? 'all' : undefined,
        health: search.get('health') ?? undefined,
      }}
      projects={[
        { id: 1, name: 'default' },
        { id: 2, name: 'data-platform' },
      ]}
      onChange={onChange}
    />
  );
}

describe('JobFilters', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('puts every filter in the URL, the search after a pause in typing', () => {
    render(<Harness />);
    fireEvent.change(screen.getByLabelText('Search jobs'), { target: { value: 'backup' } });
    expect(window.location.search).toBe('');
    act(() => void vi.advanceTimersByTime(300));
    expect(window.location.search).toBe('?q=backup');
    fireEvent.change(screen.getByLabelText('Project'), { target: { value: '2' } });
    fireEvent.click(screen.getByLabelText('Show archived'));
    expect(new URLSearchParams(window.location.search).toString()).toBe(
      'q=backup&project=2&archived=all',
    );
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'etl' } });
    act(() => void vi.advanceTimersByTime(300));
    expect(new URLSearchParams(window.location.search).get('type')).toBe('etl');
    fireEvent.click(screen.getByLabelText('Show archived'));
    fireEvent.change(screen.getByLabelText('Project'), { target: { value: '' } });
    expect(window.location.search).toBe('?q=backup&type=etl');
  });

  it('filters by health: the jobs that need attention, one health, or paused with the archived', () => {
    render(<Harness />);
    const health = screen.getByLabelText('Health') as HTMLSelectElement;
    expect(health.value).toBe('');
    fireEvent.change(health, { target: { value: 'down,late' } });
    expect(new URLSearchParams(window.location.search).get('health')).toBe('down,late');
    expect(health.selectedOptions[0]!.textContent).toBe('Needs attention (down or late)');
    fireEvent.change(health, { target: { value: 'paused' } });
    expect(new URLSearchParams(window.location.search).toString()).toBe(
      'health=paused&archived=all',
    );
    expect((screen.getByLabelText('Show archived') as HTMLInputElement).checked).toBe(true);
    fireEvent.change(health, { target: { value: '' } });
    expect(new URLSearchParams(window.location.search).get('health')).toBeNull();
  });

  it('shows a health from a shared link that is not one of its choices', () => {
    window.history.replaceState(null, '', '/?health=late,new');
    render(<Harness />);
    expect((screen.getByLabelText('Health') as HTMLSelectElement).value).toBe('late,new');
  });

  it('starts from the URL, as after a reload or a shared link', () => {
    window.history.replaceState(null, '', '/?q=nightly&type=backup&project=1&archived=all');
    render(<Harness />);
    expect((screen.getByLabelText('Search jobs') as HTMLInputElement).value).toBe('nightly');
    expect((screen.getByLabelText('Type') as HTMLInputElement).value).toBe('backup');
    expect((screen.getByLabelText('Project') as HTMLSelectElement).value).toBe('1');
    expect((screen.getByLabelText('Show archived') as HTMLInputElement).checked).toBe(true);
  });
});
