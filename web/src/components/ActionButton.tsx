import type { ButtonHTMLAttributes } from 'react';
import { useSession } from '../auth/session';

/**
 * A button that changes something: with a read key it stays visible but disabled, and says why
 * on hover and to screen readers.
 */
export function ActionButton({
  disabled,
  title,
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement>) {
  const { canWrite, readOnlyReason } = useSession();
  const refused = !canWrite;
  return (
    <button
      type="button"
      {...props}
      disabled={disabled || refused}
      title={refused ? readOnlyReason : title}
      aria-description={refused ? readOnlyReason : undefined}
    >
      {children}
    </button>
  );
}
