// Entry of an ML worker thread: loads the TypeScript worker through tsx (the
// same way the CLI and worker processes run), whatever flags the parent had.
import { tsImport } from 'tsx/esm/api';

await tsImport('./ml-thread.ts', import.meta.url);
