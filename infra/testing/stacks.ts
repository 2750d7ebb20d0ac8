import type { StackName } from '../../lib/infra-config';
import { captureStack, type CapturedStack } from './capture';

/** Both stacks captured once per test file (each file runs in its own process). */
let captured: Promise<Record<StackName, CapturedStack>> | undefined;

export function capturedStacks(): Promise<Record<StackName, CapturedStack>> {
  captured ??= (async () => ({ dev: await captureStack('dev'), prod: await captureStack('prod') }))();
  return captured;
}
