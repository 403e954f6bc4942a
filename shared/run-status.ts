/** The life of a run. Terminal states are final: nothing leaves them. */
export const RUN_STATUSES = ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run may only be created in one of these states. */
export const INITIAL_STATUSES = ['PENDING', 'RUNNING'] as const satisfies readonly RunStatus[];
export type InitialStatus = (typeof INITIAL_STATUSES)[number];

const TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  PENDING: ['RUNNING', 'CANCELLED'],
  RUNNING: ['SUCCESS', 'FAILED', 'CANCELLED'],
  SUCCESS: [],
  FAILED: [],
  CANCELLED: [],
};

export const isTerminal = (status: RunStatus): boolean => TRANSITIONS[status].length === 0;

export const canTransition = (from: RunStatus, to: RunStatus): boolean =>
  TRANSITIONS[from].includes(to);
