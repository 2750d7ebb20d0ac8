import * as React from 'react';
import { Slot } from '@radix-ui/react-slot';
import { CircleAlert } from 'lucide-react';
import { cn } from '@/lib/utils';
import { Label } from './label';

export type FieldProps = {
  label: React.ReactNode;
  /** Exactly one control (Input, Textarea, Select…); it receives id, aria-describedby and aria-invalid. */
  children: React.ReactElement;
  hint?: React.ReactNode;
  /** A message (or list of messages, e.g. zod's fieldErrors) shown under the control. */
  error?: React.ReactNode | string[];
  /** Defaults to a generated id; set it when a label elsewhere must point at the control. */
  id?: string;
  /** Marks the control `required` and shows an asterisk after the label. */
  required?: boolean;
  className?: string;
};

export function Field({ label, children, hint, error, id, required, className }: FieldProps) {
  const generatedId = React.useId();
  const controlId = id ?? `field-${generatedId}`;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const errorContent = Array.isArray(error) ? error.join(' ') : error;
  const hasError = errorContent !== undefined && errorContent !== null && errorContent !== false && errorContent !== '';
  const describedBy = [hint ? hintId : null, hasError ? errorId : null].filter(Boolean).join(' ') || undefined;
  // Slot's props type is HTMLAttributes, which lacks `required`; the child control accepts it.
  const requiredProp = required ? ({ required: true } as React.HTMLAttributes<HTMLElement>) : {};

  return (
    <div className={cn('grid gap-1.5', className)}>
      <Label htmlFor={controlId}>
        {label}
        {required ? (
          <span className="ml-0.5 text-danger" aria-hidden="true">
            *
          </span>
        ) : null}
      </Label>
      <Slot id={controlId} aria-describedby={describedBy} aria-invalid={hasError || undefined} {...requiredProp}>
        {children}
      </Slot>
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {hasError ? (
        <p id={errorId} className="flex items-start gap-1.5 text-xs font-medium text-danger-soft-foreground">
          <CircleAlert className="mt-px size-3.5 shrink-0" aria-hidden="true" />
          <span>{errorContent}</span>
        </p>
      ) : null}
    </div>
  );
}
