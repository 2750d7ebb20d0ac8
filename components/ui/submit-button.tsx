'use client';

import * as React from 'react';
import { useFormStatus } from 'react-dom';
import { Button, type ButtonProps } from './button';

export type SubmitButtonProps = Omit<ButtonProps, 'type' | 'asChild' | 'loading'> & {
  /** Replaces the children while the form is submitting, e.g. "Saving…". */
  pendingLabel?: React.ReactNode;
};

/** Must be rendered inside the `<form>` it submits: useFormStatus reads the nearest parent form. */
export function SubmitButton({ pendingLabel, children, ...props }: SubmitButtonProps) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" loading={pending} {...props}>
      {pending && pendingLabel ? pendingLabel : children}
    </Button>
  );
}
