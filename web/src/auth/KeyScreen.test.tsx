import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { KeyScreen } from './KeyScreen';

describe('KeyScreen', () => {
  it('asks for an API key and where to keep it, and hands both over', async () => {
    const onSubmit = vi.fn().mockResolvedValue(null);
    render(<KeyScreen reason={null} onSubmit={onSubmit} />);
    expect(screen.getByText('This server needs an API key.')).toBeTruthy();
    const field = screen.getByLabelText('API key') as HTMLInputElement;
    expect(field.type).toBe('password');
    expect((screen.getByLabelText('For this session only') as HTMLInputElement).checked).toBe(true);
    fireEvent.change(field, { target: { value: '  ct_abc  ' } });
    fireEvent.click(screen.getByLabelText('On this device'));
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith('ct_abc', 'device'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("shows the server's reason for asking, and its refusal of a key", async () => {
    const onSubmit = vi.fn().mockResolvedValue('The API key is not valid.');
    render(<KeyScreen reason="The server refused the key: revoked." onSubmit={onSubmit} />);
    expect(screen.getByText('The server refused the key: revoked.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: 'ct_wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The API key is not valid.');
    expect(onSubmit).toHaveBeenCalledWith('ct_wrong', 'session');
    expect(screen.getByLabelText('API key').getAttribute('aria-invalid')).toBe('true');
  });

  it('refuses an empty key without asking the server', async () => {
    const onSubmit = vi.fn();
    render(<KeyScreen reason={null} onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Enter an API key.');
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
