/** Client-safe names for the model registry's states and their wording. */
export const APPROVAL_STATUSES = ['PendingManualApproval', 'Approved', 'Rejected'] as const;
export type ApprovalStatusName = (typeof APPROVAL_STATUSES)[number];

export const APPROVAL_LABELS: Record<ApprovalStatusName, string> = {
  PendingManualApproval: 'Pending approval',
  Approved: 'Approved',
  Rejected: 'Rejected',
};

export const DEFAULT_MODEL_NAME = 'price-sensitivity';

/** Deployment names: lower-case words joined by dashes (same rule as the inference service's manifest). */
export const DEPLOYMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
