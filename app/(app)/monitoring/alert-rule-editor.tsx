'use client';

import * as React from 'react';
import { Pencil } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { fieldError } from '@/lib/action-result';
import { ALERT_KIND_INFO, inputUnit, thresholdFromInput, thresholdToInput, type AlertRuleView } from '@/lib/alerts';
import { updateAlertRuleAction } from './alert-actions';

/** Edit a rule's threshold, window and webhook in a dialog (roles with alerts:write). */
export function AlertRuleEditor({ rule, onSaved }: { rule: AlertRuleView; onSaved: () => void }) {
  const [open, setOpen] = React.useState(false);
  const [threshold, setThreshold] = React.useState(String(thresholdToInput(rule.kind, rule.threshold)));
  const [windowMinutes, setWindowMinutes] = React.useState(String(rule.windowMinutes));
  const [webhookUrl, setWebhookUrl] = React.useState(rule.webhookUrl ?? '');
  const [state, setState] = React.useState<Awaited<ReturnType<typeof updateAlertRuleAction>>>(null);
  const [pending, startTransition] = React.useTransition();
  const isGlobal = ALERT_KIND_INFO[rule.kind].scope === 'global';

  const reset = () => {
    setThreshold(String(thresholdToInput(rule.kind, rule.threshold)));
    setWindowMinutes(String(rule.windowMinutes));
    setWebhookUrl(rule.webhookUrl ?? '');
    setState(null);
  };

  const save = () =>
    startTransition(async () => {
      const typed = Number(threshold);
      const result = await updateAlertRuleAction(rule.id, {
        // A blank or non-numeric entry goes as typed, so the server names the field.
        threshold: threshold.trim() && Number.isFinite(typed) ? thresholdFromInput(rule.kind, typed) : threshold,
        ...(isGlobal ? {} : { windowMinutes: Number(windowMinutes) }),
        webhookUrl: webhookUrl.trim(),
      });
      setState(result);
      if (result?.ok) {
        setOpen(false);
        onSaved();
      }
    });

  return (
    <Dialog open={open} onOpenChange={(next) => { setOpen(next); if (next) reset(); }}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Edit ${rule.name}`}>
          <Pencil aria-hidden="true" />
          Edit
        </Button>
      </DialogTrigger>
      <DialogContent title={`Edit “${rule.name}”`} description={`Fires when ${ALERT_KIND_INFO[rule.kind].describes} is ${rule.comparator} the threshold.`}>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <Field label={`Threshold (${inputUnit(rule.kind)})`} error={fieldError(state, 'threshold')} required>
            <Input inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
          </Field>
          {isGlobal ? null : (
            <Field label="Window (minutes)" hint="The value is computed over this many minutes up to now." error={fieldError(state, 'windowMinutes')} required>
              <Input inputMode="numeric" value={windowMinutes} onChange={(e) => setWindowMinutes(e.target.value)} />
            </Field>
          )}
          <Field label="Webhook URL" hint="Receives a JSON POST when the alert fires and when it resolves. Leave empty for none." error={fieldError(state, 'webhookUrl')}>
            <Input type="url" placeholder="https://hooks.example.com/…" value={webhookUrl} onChange={(e) => setWebhookUrl(e.target.value)} />
          </Field>
          {state && !state.ok && !state.error.fields?.length ? <p className="text-sm text-danger-soft-foreground">{state.error.message}</p> : null}
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="ghost">Cancel</Button>
            </DialogClose>
            <Button type="submit" loading={pending}>Save</Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
